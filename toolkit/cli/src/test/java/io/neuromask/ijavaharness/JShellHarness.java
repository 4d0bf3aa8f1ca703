package io.neuromask.ijavaharness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Runs notebook cells the way IJava 1.3.0 does: JShell with local execution (user code runs in this JVM, in a
 * class loader whose parent is the class path this JVM started with, so the kernel's own libraries win) and
 * the kernel's extra class path added with {@link JShell#addToClasspath(String)}.
 *
 * <p>Runs in a child JVM whose class path holds only this class and the kernel's libraries (see
 * {@code IJavaClasspathTest}); it uses nothing but the JDK.
 *
 * <pre>
 * java -cp harness:ijava-libs/* io.neuromask.ijavaharness.JShellHarness classpath.txt cells.txt
 * </pre>
 *
 * {@code classpath.txt}: one entry a line. {@code cells.txt}: cells separated by lines {@value #CELL_SEPARATOR}.
 * Prints {@code @@GSON <where com.google.gson.Gson comes from>}, then for each cell {@code @@CELL <n> OK} or
 * {@code @@CELL <n> FAIL <exception class>: <message> [caused by ...]} on one line; stops at the first failure.
 */
public final class JShellHarness {

    /** The line between two cells in the cells file. */
    public static final String CELL_SEPARATOR = "//// CELL";

    private JShellHarness() {}

    public static void main(String[] args) throws Exception {
        List<String> classpath = Files.readAllLines(Path.of(args[0]));
        String[] cells = Files.readString(Path.of(args[1])).split("(?m)^" + CELL_SEPARATOR + "\\R");
        System.out.println("@@GSON " + where("com.google.gson.Gson"));
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : classpath) {
                if (!entry.isBlank()) {
                    shell.addToClasspath(entry.strip());
                }
            }
            int n = 0;
            for (String cell : cells) {
                if (cell.isBlank()) {
                    continue;
                }
                n++;
                String result = run(shell, cell);
                System.out.println("@@CELL " + n + " " + result.replaceAll("\\s*\\R\\s*", " | "));
                System.out.flush();
                if (!result.equals("OK")) {
                    break;
                }
            }
        }
        System.exit(0); // the toolkit's and DJL's non-daemon threads must not keep the JVM alive
    }

    private static String where(String className) {
        try {
            return String.valueOf(Class.forName(className).getProtectionDomain().getCodeSource().getLocation());
        } catch (ClassNotFoundException e) {
            return "absent";
        }
    }

    /** Evaluates a cell snippet by snippet, as IJava does; "OK" or "FAIL ..." at the first problem. */
    static String run(JShell shell, String cell) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = cell;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                return "FAIL incomplete source: " + rest;
            }
            for (SnippetEvent event : shell.eval(info.source())) {
                if (event.exception() != null) {
                    return "FAIL " + describe(event.exception());
                }
                if (event.status() == Snippet.Status.REJECTED) {
                    return "FAIL rejected: " + shell.diagnostics(event.snippet())
                            .map(d -> d.getMessage(null)).collect(Collectors.joining("; ")) + " in " + info.source();
                }
            }
            rest = info.remaining();
        }
        return "OK";
    }

    private static String describe(JShellException e) {
        StringBuilder b = new StringBuilder();
        Throwable t = e;
        while (t != null) {
            if (b.length() > 0) {
                b.append(" caused by ");
            }
            if (t instanceof EvalException ev) {
                b.append(ev.getExceptionClassName()).append(": ").append(ev.getMessage());
            } else if (t instanceof UnresolvedReferenceException u) {
                b.append("unresolved reference in ").append(u.getSnippet().source());
            } else {
                b.append(t);
            }
            t = t.getCause();
        }
        return b.toString();
    }
}
