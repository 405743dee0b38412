package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java code of docs/java-dsl.md compiles as written: every {@code ```java} block is a whole source file (with
 * its imports) that a user can paste into a project depending on caravan-runtime and the connectors.
 */
class JavaDslDocTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("\\bclass\\s+(\\w+)");

    @TempDir
    Path tmp;

    @Test
    void everyJavaBlockOfTheGuideCompilesAsWritten() throws IOException {
        Path doc = Files.exists(Path.of("docs/java-dsl.md")) ? Path.of("docs/java-dsl.md")
                : Path.of("../docs/java-dsl.md");
        Matcher block = JAVA_BLOCK.matcher(Files.readString(doc));
        List<Path> sources = new ArrayList<>();
        while (block.find()) {
            String code = block.group(1);
            Matcher name = CLASS_NAME.matcher(code);
            assertThat(name.find()).as("a java block of %s is not a whole class:%n%s", doc, code).isTrue();
            sources.add(Files.writeString(tmp.resolve(name.group(1) + ".java"), code));
        }
        assertThat(sources).as("java blocks in " + doc).hasSizeGreaterThanOrEqualTo(2);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            boolean compiled = compiler.getTask(null, files, diagnostics, List.of("-d", tmp.toString(), "-cp",
                    System.getProperty("java.class.path"), "-proc:none"), null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(compiled).as("%s", diagnostics.getDiagnostics()).isTrue();
        }
    }
}
