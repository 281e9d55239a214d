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

  /** The classes of a successful compilation, in a fresh class loader. */
  static ClassLoader load(Compilation c) {
    Map<String, byte[]> classes = new java.util.HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = f.toUri().getPath();
      int at = path.indexOf("CLASS_OUTPUT/");
      String rel = at >= 0 ? path.substring(at + "CLASS_OUTPUT/".length()) : path.replaceFirst("^/", "");
      String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
      try (java.io.InputStream in = f.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ClassLoader(Compile.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  /**
   * Compiles {@code files} with the processor against the classes {@code earlier} produced (a
   * library compiled before, on the class path).
   */
  static Compilation againstClassesOf(Compilation earlier, JavaFileObject... files) {
    try {
      Path dir = Files.createTempDirectory("adjoint-lib");
      for (JavaFileObject f : earlier.generatedFiles()) {
        if (f.getKind() != JavaFileObject.Kind.CLASS) {
          continue;
        }
        String path = f.toUri().getPath();
        int at = path.indexOf("CLASS_OUTPUT/");
        Path out = dir.resolve(at >= 0 ? path.substring(at + "CLASS_OUTPUT/".length()) : path.replaceFirst("^/", ""));
        Files.createDirectories(out.getParent());
        try (java.io.InputStream in = f.openInputStream()) {
          Files.copy(in, out);
        }
      }
      List<java.io.File> cp = new java.util.ArrayList<>();
      cp.add(dir.toFile());
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        cp.add(new java.io.File(entry));
      }
      return javac().withProcessors(new AdjointProcessor()).withClasspath(cp).compile(files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
