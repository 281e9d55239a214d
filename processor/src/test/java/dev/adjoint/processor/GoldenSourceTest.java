package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden generated sources: each input under {@code golden/input} is compiled with the processor
 * and every generated class must equal, character for character, its file under
 * {@code golden/expected}. They catch code that is correct but got uglier. After an intended
 * change, regenerate with {@code mvn -pl processor test -Dadjoint.updateGoldens=true} and review
 * the diff.
 */
class GoldenSourceTest {
  private static final boolean UPDATE = Boolean.getBoolean("adjoint.updateGoldens");

  /** Input file → the generated classes it must produce. */
  private static final List<List<String>> CASES = List.of(
      List.of("Reassign", "ReassignGrad"),
      List.of("Clash", "ClashGrad"),
      List.of("Loop", "LoopGrad"),
      List.of("Branch", "BranchGrad"),
      List.of("While", "WhileGrad"),
      List.of("Checkpoint", "CheckpointGrad"),
      List.of("Call", "CallGrad"),
      List.of("TensorNet", "TensorNetGrad"),
      List.of("Model", "ModelGrad", "Model_InnerGrad"),
      List.of("MathFunctions", "MathFunctionsGrad"),
      List.of("Seed000", "Seed000Grad"),
      List.of("Scratch", "ScratchGrad"),
      List.of("Checks", "ChecksGrad"),
      List.of("Forward", "ForwardGrad"),
      List.of("TensorForward", "TensorForwardGrad", "TensorForward_NetGrad", "TensorForward_BlockGrad"),
      List.of("Modules", "Modules_LinearGrad", "Modules_NetGrad", "ModulesGrad"),
      List.of("Library", "LibraryGrad"),
      List.of("ValueObjects", "ValueObjectsGrad"),
      List.of("Copies", "CopiesGrad"),
      List.of("Floats", "FloatsGrad"),
      List.of("Stencil", "StencilGrad"));

  @TestFactory
  Stream<DynamicTest> generatedSourcesMatchGoldens() {
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.get(0), () -> {
      Compilation compilation = Compile.sources(JavaFileObjects.forResource(resource("input/" + c.get(0) + ".java")));
      assertThat(compilation).succeededWithoutWarnings();
      for (String generated : c.subList(1, c.size())) {
        String actual = Compile.generated(compilation, "golden." + generated);
        Path expectedFile = expectedDir().resolve(generated + ".java");
        if (UPDATE) {
          Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(expectedFile), "missing golden " + expectedFile + "; run with -Dadjoint.updateGoldens=true");
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, generated);
      }
    }));
  }

  @Test
  void outputIsByteIdenticalAcrossCompilations() throws Exception {
    for (List<String> c : CASES) {
      URL input = resource("input/" + c.get(0) + ".java");
      String first = Compile.generated(Compile.sources(JavaFileObjects.forResource(input)), "golden." + c.get(1));
      String second = Compile.generated(Compile.sources(JavaFileObjects.forResource(input)), "golden." + c.get(1));
      assertEquals(first, second, c.get(0));
    }
  }

  private static URL resource(String name) {
    URL url = GoldenSourceTest.class.getClassLoader().getResource("golden/" + name);
    if (url == null) {
      throw new AssertionError("no test resource golden/" + name);
    }
    return url;
  }

  /** The source tree's folder (not target/), so that updates land in version control. */
  private static Path expectedDir() throws IOException, URISyntaxException {
    Path dir = Paths.get("src", "test", "resources", "golden", "expected");
    Files.createDirectories(dir);
    return dir;
  }
}
