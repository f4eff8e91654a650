package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostTest {
    @TempDir
    Path dir;

    /** An ssh-ed25519 public key blob: the type, then 32 bytes of key. */
    private static byte[] ed25519(int fill) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        out.writeInt(type.length);
        out.write(type);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        out.writeInt(key.length);
        out.write(key);
        return bytes.toByteArray();
    }

    @Test
    void aNewHostKeyIsRecordedAndAChangedOneRefused() throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("known_hosts"));
        JSch jsch = new JSch();
        jsch.setKnownHosts(knownHosts.toString());
        HostKeyRepository repo = new SshHost.AcceptNew(jsch.getHostKeyRepository());

        assertEquals(HostKeyRepository.OK, repo.check("192.168.16.128", ed25519(1)));
        String recorded = Files.readString(knownHosts);
        assertTrue(recorded.startsWith("192.168.16.128 ssh-ed25519 "), recorded);
        assertEquals(HostKeyRepository.OK, repo.check("192.168.16.128", ed25519(1)));
        assertEquals(HostKeyRepository.CHANGED, repo.check("192.168.16.128", ed25519(2)));
        assertEquals(recorded, Files.readString(knownHosts), "a changed key is not written over the known one");
    }

    @Test
    void commandsForSudoAreQuotedForTheShell() {
        assertEquals("'printf '\\''x;\\n'\\'' > /f'", SshHost.shellQuote("printf 'x;\\n' > /f"));
    }
}
