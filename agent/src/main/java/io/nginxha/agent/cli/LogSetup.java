package io.nginxha.agent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Configures logback in code, the same way logback.xml does (console, {@code time LEVEL message}, level from
 * {@code -Dvrrp.log.level}, default INFO), because parsing the XML costs about 150 ms of a start budget of
 * 400 ms. Found through {@code META-INF/services}; with {@code -Dlogback.configurationFile=...} it steps
 * aside so an operator's own file (logback.xml in the jar is the template) is used instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("vrrp.log.level", "INFO"), Level.INFO));
        root.addAppender(console);
        context.getLogger("org.pcap4j").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code 2024-05-01 12:00:00.123 INFO  message}, plus the stack trace if any. */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private final ZoneId zone = ZoneId.systemDefault();

        @Override
        public String doLayout(ILoggingEvent event) {
            LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
            StringBuilder s = new StringBuilder(96);
            s.append(t.getYear()).append('-');
            two(s, t.getMonthValue()).append('-');
            two(s, t.getDayOfMonth()).append(' ');
            two(s, t.getHour()).append(':');
            two(s, t.getMinute()).append(':');
            two(s, t.getSecond()).append('.');
            int ms = t.getNano() / 1_000_000;
            s.append(ms < 100 ? "0" : "").append(ms < 10 ? "0" : "").append(ms).append(' ');
            String level = event.getLevel().toString();
            s.append(level).append("      ", 0, Math.max(1, 6 - level.length()));
            s.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                s.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return s.toString();
        }

        private static StringBuilder two(StringBuilder s, int value) {
            return s.append(value < 10 ? "0" : "").append(value);
        }
    }
}
