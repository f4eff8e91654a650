package io.nginxha.drill;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link RemoteHost} over SSH (jsch) with the inventory's key. One session per host, opened on the first command
 * and opened again after the host was powered off.
 *
 * <p>Host keys are accepted when new and refused when changed (OpenSSH's {@code accept-new}), recorded in the
 * known_hosts file the caller chooses: see {@link DrillCommand} for which one and why.
 */
public final class SshHost implements RemoteHost {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final long COMMAND_TIMEOUT_MS = 60_000;

    private final DrillTarget.HostAccess access;
    private final Path knownHosts;
    private Session session;

    public SshHost(DrillTarget.HostAccess access, Path knownHosts) {
        this.access = access;
        this.knownHosts = knownHosts;
    }

    @Override
    public String name() {
        return access.name();
    }

    @Override
    public Result run(String command) throws DrillException {
        String wrapped = "root".equals(access.user()) ? command : "sudo -n sh -c " + shellQuote(command);
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session().openChannel("exec");
            channel.setCommand(wrapped);
            channel.setInputStream(null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setErrStream(out, true);
            InputStream in = channel.getInputStream();
            channel.connect(CONNECT_TIMEOUT_MS);
            long deadline = System.currentTimeMillis() + COMMAND_TIMEOUT_MS;
            byte[] buf = new byte[4096];
            while (true) {
                while (in.available() > 0) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                }
                if (channel.isClosed() && in.available() == 0) {
                    break;
                }
                if (!session.isConnected() || System.currentTimeMillis() > deadline) {
                    return new Result(-1, out.toString(StandardCharsets.UTF_8));
                }
                Thread.sleep(20);
            }
            return new Result(channel.getExitStatus(), out.toString(StandardCharsets.UTF_8));
        } catch (JSchException | IOException e) {
            close();
            throw new DrillException(access.name() + " (" + access.user() + "@" + access.address() + ":"
                    + access.port() + "): SSH: " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("HostKey has been changed") ? " (its key differs from"
                    + " the one in " + knownHosts + "; if the host was rebuilt, remove that line)" : "")
                    + (access.identity() == null ? " (no key: give --identity or ansible_ssh_private_key_file)"
                    : " (key " + access.identity() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    private Session session() throws JSchException, IOException {
        if (session != null && session.isConnected()) {
            return session;
        }
        JSch jsch = new JSch();
        if (access.identity() != null) {
            jsch.addIdentity(access.identity().toString());
        }
        Files.createDirectories(knownHosts.toAbsolutePath().getParent());
        if (!Files.exists(knownHosts)) {
            Files.createFile(knownHosts); // jsch writes new keys only into a file that exists
        }
        jsch.setKnownHosts(knownHosts.toString());
        jsch.setHostKeyRepository(new AcceptNew(jsch.getHostKeyRepository()));
        Session s = jsch.getSession(access.user(), access.address(), access.port());
        s.setConfig("StrictHostKeyChecking", "yes"); // AcceptNew has already added a new key when jsch checks
        s.setConfig("PreferredAuthentications", "publickey");
        s.setServerAliveInterval(5_000);
        s.connect(CONNECT_TIMEOUT_MS);
        session = s;
        return s;
    }

    @Override
    public void close() {
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** OpenSSH's accept-new: a host seen for the first time is recorded; a changed key is still refused. */
    record AcceptNew(HostKeyRepository known) implements HostKeyRepository {
        @Override
        public int check(String host, byte[] key) {
            int result = known.check(host, key);
            if (result == NOT_INCLUDED) {
                try {
                    known.add(new HostKey(host, key), (UserInfo) null);
                    return OK;
                } catch (JSchException e) {
                    return NOT_INCLUDED;
                }
            }
            return result;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            known.add(hostkey, ui);
        }

        @Override
        public void remove(String host, String type) {
            known.remove(host, type);
        }

        @Override
        public void remove(String host, String type, byte[] key) {
            known.remove(host, type, key);
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return known.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return known.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return known.getHostKey(host, type);
        }
    }
}
