/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.build;

import com.puppycrawl.tools.checkstyle.Checker;
import com.puppycrawl.tools.checkstyle.ConfigurationLoader;
import com.puppycrawl.tools.checkstyle.PropertiesExpander;
import com.puppycrawl.tools.checkstyle.api.AuditEvent;
import com.puppycrawl.tools.checkstyle.api.AuditListener;
import com.puppycrawl.tools.checkstyle.api.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the module dependency rule of ARCHITECTURE.md two ways: the Maven dependencies each module declares, and the
 * checkstyle import-control rules the build runs on every main source file (a wrong-way import must fail the build).
 */
@Timeout(120)
class DependencyRuleTest
{
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** The table of ARCHITECTURE.md: the modules each module may use (transitively below it). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
        Map.entry("core", Set.of()),
        Map.entry("wal", Set.of("core")),
        Map.entry("snapshot", Set.of("core")),
        Map.entry("recovery", Set.of("core", "wal", "snapshot")),
        Map.entry("replay", Set.of("core", "wal")),
        Map.entry("primitives", Set.of("core", "snapshot")),
        Map.entry("pipeline", Set.of("core", "wal")),
        Map.entry("engine", Set.of("core", "wal", "snapshot", "recovery", "replay", "primitives", "pipeline")),
        Map.entry("stores", Set.of("engine", "core")),
        Map.entry("stores-postgres", Set.of("stores", "core")),
        Map.entry("micrometer", Set.of("engine", "pipeline", "core")),
        Map.entry("tools", Set.of("core", "wal", "snapshot", "recovery", "replay", "primitives", "pipeline", "engine",
            "stores", "stores-postgres")),
        Map.entry("tests", ALL_MODULES()),
        Map.entry("jmh", ALL_MODULES()));

    private static Set<String> ALL_MODULES()
    {
        return Set.of("core", "wal", "snapshot", "recovery", "replay", "primitives", "pipeline", "engine", "stores",
            "stores-postgres", "micrometer", "tools");
    }

    @Test
    void shouldDeclareOnlyAllowedModuleDependenciesWhenReadingEveryModulePom() throws Exception
    {
        for (final Map.Entry<String, Set<String>> module : ALLOWED.entrySet())
        {
            final Set<String> declared = declaredModuleDependencies(ROOT.resolve(module.getKey()).resolve("pom.xml"));
            final Set<String> wrong = new TreeSet<>(declared);
            wrong.removeAll(module.getValue());
            assertTrue(wrong.isEmpty(), "module " + module.getKey() + " depends on modules it may not use: " + wrong);
        }
    }

    @ParameterizedTest(name = "{0} importing {1} is rejected")
    @CsvSource({
        "wal, dev.tally.engine.Database",
        "core, dev.tally.wal.WalWriter",
        "snapshot, dev.tally.wal.WalWriter",
        "replay, dev.tally.snapshot.Snapshot",
        "recovery, dev.tally.engine.Database",
        "engine, dev.tally.stores.RunStateStore",
        "engine, dev.tally.wal.internal.Anything",
        "engine, dev.tally.primitives.internal.KvBase",
        "engine, dev.tally.pipeline.internal.WriterWaitStrategy",
        "primitives, dev.tally.wal.WalWriter",
        "primitives, dev.tally.snapshot.SnapshotWriter",
        "primitives, dev.tally.engine.Database",
        "primitives, dev.tally.pipeline.LogPipeline",
        "pipeline, dev.tally.snapshot.Snapshot",
        "pipeline, dev.tally.engine.DurabilityMode",
        "pipeline, dev.tally.primitives.KvPrimitive",
        "stores, dev.tally.wal.WalWriter",
        "core, java.nio.channels.FileChannel",
    })
    void shouldFailCheckstyleWhenModuleImportsWrongWay(final String module, final String imported,
        @TempDir final Path dir) throws Exception
    {
        final List<String> errors = checkImport(dir, module, imported);
        assertTrue(errors.stream().anyMatch(e -> e.contains("Disallowed import")),
            "expected an import-control violation, got " + errors);
    }

    @ParameterizedTest(name = "{0} importing {1} is accepted")
    @CsvSource({
        "wal, dev.tally.core.Value",
        "recovery, dev.tally.wal.WalWriter",
        "engine, dev.tally.recovery.RecoveryPolicy",
        "engine, dev.tally.primitives.KvPrimitive",
        "engine, dev.tally.pipeline.LogPipeline",
        "primitives, dev.tally.snapshot.SectionBytes",
        "primitives, dev.tally.core.Value",
        "pipeline, dev.tally.wal.WalWriter",
        "pipeline, dev.tally.core.TxId",
        "stores, dev.tally.engine.Database",
        "tools, dev.tally.engine.Database",
        "wal, java.nio.channels.FileChannel",
    })
    void shouldPassCheckstyleWhenModuleImportsDownward(final String module, final String imported,
        @TempDir final Path dir) throws Exception
    {
        assertEquals(List.of(), checkImport(dir, module, imported));
    }

    private static List<String> checkImport(final Path dir, final String module, final String imported)
        throws Exception
    {
        final Path source = dir.resolve("src/main/java/dev/tally/" + module + "/Probe.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "/*\n * Copyright 2026 The Tally Authors\n * SPDX-License-Identifier: Apache-2.0\n */\n"
            + "package dev.tally." + module + ";\n\nimport " + imported + ";\n\n"
            + "final class Probe\n{\n    private " + imported.substring(imported.lastIndexOf('.') + 1)
            + " field;\n}\n", StandardCharsets.UTF_8);

        final Properties properties = new Properties();
        properties.setProperty("importcontrol.file", ROOT.resolve("config/checkstyle/import-control.xml").toString());
        final Configuration config = ConfigurationLoader.loadConfiguration(
            ROOT.resolve("config/checkstyle/checkstyle.xml").toString(), new PropertiesExpander(properties),
            ConfigurationLoader.IgnoredModulesOptions.OMIT);
        final Checker checker = new Checker();
        final List<String> errors = new ArrayList<>();
        try
        {
            checker.setModuleClassLoader(Checker.class.getClassLoader());
            checker.configure(config);
            checker.addListener(new Collector(errors));
            checker.process(List.of(source.toFile()));
        }
        finally
        {
            checker.destroy();
        }
        return errors;
    }

    private static Set<String> declaredModuleDependencies(final Path pom) throws Exception
    {
        final org.w3c.dom.Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(pom.toFile());
        final Set<String> modules = new TreeSet<>();
        final NodeList dependencies = document.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++)
        {
            final Element dependency = (Element)dependencies.item(i);
            final String groupId = text(dependency, "groupId");
            final String artifactId = text(dependency, "artifactId");
            final String type = text(dependency, "type");
            if ("dev.tally".equals(groupId) && artifactId.startsWith("tally-") && !"test-jar".equals(type))
            {
                modules.add(artifactId.substring("tally-".length()));
            }
        }
        return modules;
    }

    private static String text(final Element element, final String tag)
    {
        final NodeList nodes = element.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    private static final class Collector implements AuditListener
    {
        private final List<String> errors;

        Collector(final List<String> errors)
        {
            this.errors = errors;
        }

        @Override
        public void auditStarted(final AuditEvent event)
        {
        }

        @Override
        public void auditFinished(final AuditEvent event)
        {
        }

        @Override
        public void fileStarted(final AuditEvent event)
        {
        }

        @Override
        public void fileFinished(final AuditEvent event)
        {
        }

        @Override
        public void addError(final AuditEvent event)
        {
            errors.add(event.getMessage());
        }

        @Override
        public void addException(final AuditEvent event, final Throwable throwable)
        {
            errors.add("exception: " + throwable);
        }
    }
}
