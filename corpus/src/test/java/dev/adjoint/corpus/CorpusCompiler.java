package dev.adjoint.corpus;

import dev.adjoint.processor.AdjointProcessor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles one library's source set in-process with the Adjoint processor, in two steps: annotation
 * processing over the whole source set (so the processor sees every helper's source), then the
 * generated sources alone against the test class path, which holds the library's own published jar
 * (the same classes), its dependencies and the runtime.
 * One compiler and one file manager are reused: its jar index is the costly part to build.
 */
final class CorpusCompiler implements AutoCloseable {
  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
  private final String classPath = System.getProperty("java.class.path");

  /** What one compilation left: its diagnostics, where the classes went, and any compiler exception. */
  record Result(List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes, Throwable crash, String log) {
    List<Diagnostic<? extends JavaFileObject>> errors() {
      return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }
  }

  /** Compiles {@code sources} (path to text) as published, without the processor: they must compile here. */
  Result compileAsPublished(Map<String, String> sources) {
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((path, text) -> units.add(new InMemorySource(path, text)));
    return run(units, Mode.NO_PROCESSOR, freshDirectory());
  }

  /**
   * Runs only annotation processing over {@code sources} (javac parses and enters them; the
   * processor reads unattributed trees), writing the generated sources into a fresh directory.
   * Much cheaper than a full compilation, and it gives every diagnostic the processor reports.
   */
  Result process(Map<String, String> sources) {
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((path, text) -> units.add(new InMemorySource(path, text)));
    return run(units, Mode.PROCESS_ONLY, freshDirectory());
  }

  /**
   * Compiles the sources the processor wrote into {@code dir} (by {@link #process}) against the
   * class path, where the library's own published classes are: the generated classes land beside
   * their sources.
   */
  Result compileGenerated(Path dir) {
    List<JavaFileObject> units = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (JavaFileObject f : files.getJavaFileObjectsFromPaths(
          walk.filter(p -> p.toString().endsWith(".java")).toList())) {
        units.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (units.isEmpty()) {
      return new Result(List.of(), dir, null, "");
    }
    return run(units, Mode.NO_PROCESSOR, dir);
  }

  private enum Mode { PROCESS_ONLY, NO_PROCESSOR }

  private static Path freshDirectory() {
    try {
      return Files.createTempDirectory("adjoint-corpus");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result run(List<JavaFileObject> units, Mode mode, Path out) {
    try {
      files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
      files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter log = new StringWriter();
    List<String> options = new ArrayList<>(List.of("-classpath", classPath, "-nowarn", "-Xlint:none", "-g",
        "-parameters", "-Xmaxerrs", "1000"));
    if (mode == Mode.NO_PROCESSOR) {
      options.add("-proc:none");
    } else if (mode == Mode.PROCESS_ONLY) {
      options.add("-proc:only");
    }
    Throwable crash = null;
    try {
      JavaCompiler.CompilationTask task = javac.getTask(log, files, diagnostics, options, null, units);
      if (mode != Mode.NO_PROCESSOR) {
        task.setProcessors(List.of(new AdjointProcessor()));
      }
      task.call();
    } catch (RuntimeException | Error e) {
      crash = e;
    }
    return new Result(diagnostics.getDiagnostics(), out, crash, log.toString());
  }

  /** The class path entries a loader for the compiled classes needs after {@code classes}. */
  List<Path> classPath() {
    return Stream.of(classPath.split(File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of).toList();
  }

  static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
