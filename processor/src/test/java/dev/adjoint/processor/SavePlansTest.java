package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The "save everything" plan ({@code -Aadjoint.saves=all}: every overwritten value taped, nothing
 * recomputed) is the oracle of the optimised plan: over the forward-mode corpus, the golden inputs
 * and the fuzzer's regressions, both give the same gradients (to 1e-12), and both compile lint-clean.
 */
class SavePlansTest {

  private static Compilation compile(boolean all, JavaFileObject file) {
    List<String> options = new ArrayList<>(List.of("-Xlint:all", "-parameters"));
    if (all) {
      options.add("-Aadjoint.saves=all");
    }
    return javac().withOptions(options).withProcessors(new AdjointProcessor()).compile(file);
  }

  private static List<String> sources() throws IOException, URISyntaxException {
    List<String> out = new ArrayList<>(List.of("forward/Corpus.java"));
    for (String g : List.of("Branch", "Call", "Checkpoint", "Checks", "Clash", "Forward", "Library", "Loop",
        "MathFunctions",
        "Reassign", "Scratch", "Stencil", "While")) {
      out.add("golden/input/" + g + ".java");
    }
    Path regressions = Path.of(SavePlansTest.class.getClassLoader().getResource("fuzz/regressions").toURI());
    try (Stream<Path> files = Files.list(regressions)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).sorted()
          .forEach(n -> out.add("fuzz/regressions/" + n));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> savingEverythingGivesTheSameGradients() throws Exception {
    return sources().stream().map(path -> DynamicTest.dynamicTest(path, () -> {
      JavaFileObject file = JavaFileObjects.forResource(SavePlansTest.class.getClassLoader().getResource(path));
      Compilation needed = compile(false, file);
      Compilation all = compile(true, file);
      assertThat(all).succeeded();
      assertThat(needed).succeeded();
      String pkg = path.startsWith("forward/") ? "forward" : path.startsWith("golden/") ? "golden" : "fuzz";
      String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".java".length());
      Class<?> a = Compile.load(needed).loadClass(pkg + "." + name + "Grad");
      Class<?> b = Compile.load(all).loadClass(pkg + "." + name + "Grad");
      int compared = Twins.compare(a, b, path.hashCode(), 1e-12);
      assertTrue(compared > 0 || path.startsWith("fuzz/"), path + ": nothing compared");
    }));
  }
}
