package io.nginxha.agent.net;

/** Text form of Ethernet MAC addresses. */
final class Macs {
    private Macs() { }

    static String format(byte[] mac) {
        StringBuilder s = new StringBuilder();
        for (byte b : mac) {
            if (s.length() > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }

    /** {@code aa:bb:cc:dd:ee:ff} to 6 bytes, or null if it is not one. */
    static byte[] parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            return null;
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (!parts[i].matches("[0-9a-fA-F]{1,2}")) {
                return null;
            }
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }
}
