package io.nginxha.agent;

/** Command line: {@code run -c FILE}, {@code check-config -c FILE}. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.err.println("vrrp-agent: not yet wired");
        System.exit(2);
    }
}
