package io.nginxha.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The person running the drill: asked before a dangerous scenario, and to power a host on by hand. */
public interface Operator {

    /** Asks a yes/no question; only an explicit yes is a yes. */
    boolean confirm(String question);

    /** Tells the operator what to do and waits until they press Enter. */
    void waitForEnter(String message);

    /** The terminal: questions on {@code out}, answers from standard input (none when it is closed). */
    static Operator terminal(PrintStream out) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return new Operator() {
            @Override
            public boolean confirm(String question) {
                out.print(question + " [yes/no] ");
                out.flush();
                String answer = readLine(in);
                return answer != null && answer.strip().equalsIgnoreCase("yes");
            }

            @Override
            public void waitForEnter(String message) {
                out.print(message + " Press Enter when done. ");
                out.flush();
                readLine(in);
            }
        };
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
