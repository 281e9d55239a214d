package dev.adjoint.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.tools.JavaFileObject;

/** Compiles test sources with the Adjoint processor, as a user's build would. */
final class Compile {
  private Compile() {}

  static Compilation sources(JavaFileObject... files) {
    return javac().withProcessors(new AdjointProcessor()).compile(files);
  }

  /** A source file {@code p.Name} from its lines. */
  static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  static String generated(Compilation compilation, String qualifiedName) {
    JavaFileObject file = compilation.generatedSourceFile(qualifiedName)
        .orElseThrow(() -> new AssertionError("no generated source " + qualifiedName
            + "; diagnostics: " + compilation.diagnostics()));
    try {
      return file.getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs only annotation processing with real javac and returns the sources the processor wrote,
   * by file name. Unlike compile-testing, this shows what was generated when the compile failed.
   */
  static Map<String, String> generatedEvenOnError(JavaFileObject... files) {
    try {
      Path out = Files.createTempDirectory("adjoint-gen");
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      StringWriter log = new StringWriter();
      List<String> options = List.of("-proc:only", "-s", out.toString(),
          "-classpath", System.getProperty("java.class.path"));
      JavaCompiler.CompilationTask task = javac.getTask(log, null, d -> { }, options, null, List.of(files));
      task.setProcessors(List.of(new AdjointProcessor()));
      task.call();
      Map<String, String> generated = new TreeMap<>();
      try (Stream<Path> walk = Files.walk(out)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          generated.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
      }
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
