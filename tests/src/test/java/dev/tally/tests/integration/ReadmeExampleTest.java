/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.RunStatus;
import dev.tally.engine.StateValue;
import dev.tally.engine.TxResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the README's Java blocks never drift from the API. Method: the first example copied here with what it
 * promises checked after a reopen; and every ```java block of README.md extracted, wrapped in a class with the
 * modules' packages imported (a block may be preceded by an HTML comment "<!-- example run" or "<!-- example compile:
 * why" whose lines are statements run before it, or members when they start with "static"), compiled with javax.tools
 * against the test class path, and, unless marked compile, run in a child JVM in a fresh directory that must exit 0
 * and print that it ran. Nothing random to replay; a failure names the README line.
 */
@Timeout(180)
class ReadmeExampleTest
{
    private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    private static final Pattern MARKER = Pattern.compile("<!-- example (run|compile)(:[^\\n]*)?\\n(.*?)-->\\s*$",
        Pattern.DOTALL);
    private static final List<String> IMPORTS = List.of("dev.tally.core", "dev.tally.engine",
        "dev.tally.stores.runstate", "dev.tally.stores.idempotency", "dev.tally.stores.payments",
        "dev.tally.stores.postgres", "dev.tally.micrometer", "io.micrometer.core.instrument",
        "io.micrometer.core.instrument.simple", "java.nio.file", "java.time", "java.util");

    /** One ```java block: where it starts in the README, whether it runs, what runs before it. */
    private record Block(int line, boolean run, List<String> prelude, List<String> members, String code)
    {
        String className()
        {
            return "ReadmeExampleLine" + line;
        }

        String source()
        {
            final StringBuilder source = new StringBuilder();
            for (final String pkg : IMPORTS)
            {
                source.append("import ").append(pkg).append(".*;\n");
            }
            source.append("public final class ").append(className()).append("\n{\n");
            members.forEach(m -> source.append(m).append('\n'));
            source.append("public static void main(final String[] args) throws Exception\n{\n");
            prelude.forEach(p -> source.append(p).append('\n'));
            source.append("// README.md line ").append(line + 1).append('\n');
            source.append("{\n").append(code).append("}\n");
            source.append("System.out.println(\"README example ran\");\nSystem.exit(0);\n}\n}\n");
            return source.toString();
        }

        /** The README line of a line of the generated source. */
        long readmeLine(final long sourceLine)
        {
            final long codeStart = IMPORTS.size() + 2 + members.size() + 3 + prelude.size() + 2;
            return sourceLine >= codeStart ? line + 1 + (sourceLine - codeStart + 1) : line;
        }
    }

    @Test
    void shouldCompileAndRunEveryJavaBlockWhenTheReadmeIsBuilt(@TempDir final Path tmp) throws Exception
    {
        final List<Block> blocks = blocks(Files.readAllLines(README, StandardCharsets.UTF_8));
        assertTrue(blocks.size() >= 6, "the README's blocks were found: " + blocks.size());
        assertTrue(blocks.get(0).run() && blocks.get(0).prelude().isEmpty(), "the first example runs alone");
        final Path sources = Files.createDirectories(tmp.resolve("src"));
        final Path classes = Files.createDirectories(tmp.resolve("classes"));
        final List<File> files = new ArrayList<>();
        for (final Block block : blocks)
        {
            final Path file = sources.resolve(block.className() + ".java");
            Files.writeString(file, block.source(), StandardCharsets.UTF_8);
            files.add(file.toFile());
        }
        compile(blocks, files, classes);
        int ran = 0;
        for (final Block block : blocks)
        {
            if (block.run())
            {
                run(block, classes, Files.createDirectories(tmp.resolve("run-" + block.line())));
                ran++;
            }
        }
        assertTrue(ran >= 4, "most blocks run, not only compile: " + ran);
    }

    private static List<Block> blocks(final List<String> lines)
    {
        final List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            if (!lines.get(i).trim().equals("```java"))
            {
                continue;
            }
            final int start = i;
            final StringBuilder code = new StringBuilder();
            for (i++; !lines.get(i).trim().equals("```"); i++)
            {
                code.append(lines.get(i)).append('\n');
            }
            blocks.add(block(lines, start, code.toString()));
        }
        return blocks;
    }

    /** The block at a fence, with the marker comment that ends on the line before it, if any. */
    private static Block block(final List<String> lines, final int fence, final String code)
    {
        if (fence == 0 || !lines.get(fence - 1).trim().equals("-->"))
        {
            return new Block(fence, true, List.of(), List.of(), code);
        }
        int open = fence - 1;
        while (open > 0 && !lines.get(open).startsWith("<!--"))
        {
            open--;
        }
        final Matcher marker = MARKER.matcher(String.join("\n", lines.subList(open, fence)));
        assertTrue(marker.matches(), "README.md line " + (open + 1) + ": a block's comment is not an example marker");
        final List<String> prelude = new ArrayList<>();
        final List<String> members = new ArrayList<>();
        for (final String line : marker.group(3).split("\n"))
        {
            if (!line.isBlank())
            {
                (line.startsWith("static ") ? members : prelude).add(line);
            }
        }
        final boolean run = marker.group(1).equals("run");
        assertTrue(run || marker.group(2) != null,
            "README.md line " + (open + 1) + ": a compile-only block says why it cannot run");
        return new Block(fence, run, prelude, members, code);
    }

    private static void compile(final List<Block> blocks, final List<File> files, final Path classes)
        throws IOException
    {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
            StandardCharsets.UTF_8))
        {
            final List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                classes.toString(), "-proc:none", "-Xlint:none", "-nowarn");
            final boolean compiled = javac.getTask(null, manager, diagnostics, options, null,
                manager.getJavaFileObjectsFromFiles(files)).call();
            final StringBuilder errors = new StringBuilder();
            for (final Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics())
            {
                if (d.getKind() == Diagnostic.Kind.ERROR)
                {
                    final String name = Path.of(d.getSource().toUri()).getFileName().toString();
                    final Block block = blocks.stream().filter(b -> name.equals(b.className() + ".java"))
                        .findFirst().orElseThrow();
                    errors.append("README.md line ").append(block.readmeLine(d.getLineNumber())).append(": ")
                        .append(d.getMessage(Locale.ROOT)).append('\n');
                }
            }
            assertTrue(compiled && errors.length() == 0, "a README block does not compile:\n" + errors);
        }
    }

    private static void run(final Block block, final Path classes, final Path dir) throws Exception
    {
        final Path out = dir.resolve("out.txt");
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Dslf4j.internal.verbosity=ERROR", "-cp",
            classes + File.pathSeparator + System.getProperty("java.class.path"), block.className())
            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        final boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        if (!ended)
        {
            child.destroyForcibly().waitFor();
        }
        final String output = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(ended, "README.md line " + (block.line() + 1) + ": the block did not end in 60 s:\n" + output);
        assertEquals(0, child.exitValue(), "README.md line " + (block.line() + 1) + " failed:\n" + output);
        assertTrue(output.contains("README example ran"), "README.md line " + (block.line() + 1) + ":\n" + output);
        assertFalse(output.contains("Exception"), "README.md line " + (block.line() + 1) + ":\n" + output);
    }
    @Test
    void shouldRunTheReadmeExampleWhenCopiedVerbatim(@TempDir final Path tmp)
    {
        final Path data = tmp.resolve("data");
        final RunId run;
        final long sequence;
        final long cents;
        final TxResult<Long> result;
        // --- the README example, with the directory moved into the test's temporary folder ---
        try (Database db = Database.builder()
            .directory(data)
            .durability(DurabilityMode.STRICT)
            .open())
        {
            run = RunId.random();
            db.beginRun(run);
            db.kv().put(run, "order/42", Value.of(1999L));
            cents = db.kv().getLong(run, "order/42").orElseThrow();
            sequence = db.events().append(run, "order.placed", Value.of("42"));
            result = db.transaction(run, tx ->
            {
                tx.setCell("settled", Value.of(tx.cellLong("settled").orElse(0) + 1));
                return tx.append("order.settled", Value.of("42"));
            });
            db.endRun(run);
        }
        // --- end of the example ---
        assertEquals(1999L, cents);
        assertEquals(1, sequence);
        assertTrue(result.isCommitted());
        assertEquals(2L, ((TxResult.Committed<Long>)result).value());
        try (Database db = Database.open(data))
        {
            assertEquals(Optional.of(Value.of(1999L)), db.kv().get(run, "order/42"));
            assertEquals(new StateValue(Value.of(1L), 1), db.state().get(run, "settled").orElseThrow());
            assertEquals(2, db.events().count(run));
            assertEquals(RunStatus.State.COMPLETED, db.runStatus(run).state());
            assertTrue(db.verifyReplay(run).matches());
        }
    }
}
