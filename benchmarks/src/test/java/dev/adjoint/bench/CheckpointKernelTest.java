package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.bench.kernels.ScalarGrad;
import dev.adjoint.tape.DoubleStack;
import dev.adjoint.tape.Revolve;
import org.junit.jupiter.api.Test;

/**
 * The checkpointed reaction–diffusion kernel the benchmark times: the same gradient, bit for bit, as
 * the kernel taped whole, and at n = 1000 and 100 000 steps a tape, and copies of the state, of at most 1% of
 * the whole tape.
 */
class CheckpointKernelTest {
  @Test
  void sameGradientAsTheWholeTape() {
    double[] u0 = Cases.scalarInput(200, 11);
    double[] target = new double[u0.length];
    ScalarGrad.ReactionDiffusion whole = ScalarGrad.reactionDiffusion(u0, target, 500, Cases.RD_R, Cases.RD_DT);
    ScalarGrad.ReactionDiffusionCheckpointed stretches =
        ScalarGrad.reactionDiffusionCheckpointed(u0, target, 500, Cases.RD_R, Cases.RD_DT);
    assertEquals(whole.value(), stretches.value(), 0.0);
    assertArrayEquals(whole.u0(), stretches.u0(), 0.0);
    ScalarGrad.ReactionDiffusionCheckpointed20 few =
        ScalarGrad.reactionDiffusionCheckpointed20(u0, target, 500, Cases.RD_R, Cases.RD_DT);
    assertEquals(whole.value(), few.value(), 0.0);
    assertArrayEquals(whole.u0(), few.u0(), 0.0);
  }

  @Test
  void aHundredThousandStepsTapeAtMostOnePercent() {
    int n = 1000;
    int steps = 100_000;
    double[] u0 = Cases.scalarInput(n, 11);
    ScalarGrad.reactionDiffusionCheckpointed(u0, new double[n], steps, Cases.RD_R, Cases.RD_DT);
    DoubleStack tape = DoubleStack.acquire(); // the pool hands back the tape the gradient released
    long room = tape.capacity();
    tape.release();
    long whole = (long) steps * n; // the taped kernel pushes one value per cell and step
    long copies = (long) Revolve.slots(steps) * 2 * n; // the state: u and next
    System.out.printf("checkpointed reaction-diffusion n=%d, %d steps: tape room %d doubles (%.4f%% of %d),"
        + " copies of the state %d doubles (%.2f%%)%n", n, steps, room, 100.0 * room / whole, whole, copies,
        100.0 * copies / whole);
    assertTrue(room <= 0.01 * whole, room + " of " + whole);
    assertTrue(room + copies <= 0.01 * whole, "tape and copies " + (room + copies) + " of " + whole);
  }
}
