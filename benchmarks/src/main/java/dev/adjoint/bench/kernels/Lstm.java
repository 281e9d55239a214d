package dev.adjoint.bench.kernels;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;

/**
 * The ADBench LSTM objective, written as plain Java loops in the order of ADBench's C++ reference
 * ({@code src/cpp/shared/lstm.h}): {@code l} layers of a diagonal LSTM with hidden size {@code b}, run over a
 * sequence of {@code c} one-hot-ish characters of {@code b} bits; the loss is the mean cross-entropy of the
 * next character. Differentiated with respect to the main and extra parameters; the initial state and the
 * sequence are constants.
 *
 * <ul>
 *   <li>{@code mainParams[2l*4b]}: per layer, 4b weights (forget, ingate, outgate, change) then 4b biases;
 *   <li>{@code extraParams[3b]}: input weight, output weight, output bias;
 *   <li>{@code state[2l*b]}: per layer, hidden then cell (copied: the objective does not change its argument);
 *   <li>{@code sequence[c*b]}.
 * </ul>
 */
public final class Lstm {
  private Lstm() {}

  /** ADBench's LSTM loss: {@code -total / count}. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  public static double lstm(double[] mainParams, double[] extraParams, @NoDerivative double[] state,
      @NoDerivative double[] sequence, int l, int c, int b) {
    double[] s = new double[2 * l * b];
    for (int i = 0; i < 2 * l * b; i++) {
      s[i] = state[i];
    }
    double[] input = new double[b];
    double[] ypred = new double[b];
    double total = 0;
    int count = 0;
    for (int t = 0; t < c - 1; t++) {
      // lstm_predict: the input layer
      for (int i = 0; i < b; i++) {
        input[i] = sequence[t * b + i] * extraParams[i];
      }
      for (int layer = 0; layer < l; layer++) {
        int w = 8 * b * layer; // weights of this layer; its biases start at w + 4b
        int h = 2 * b * layer; // its hidden state; its cell state starts at h + b
        // lstm_model
        for (int i = 0; i < b; i++) {
          double forget = sigmoid(input[i] * mainParams[w + i] + mainParams[w + 4 * b + i]);
          double ingate = sigmoid(s[h + i] * mainParams[w + b + i] + mainParams[w + 5 * b + i]);
          double outgate = sigmoid(input[i] * mainParams[w + 2 * b + i] + mainParams[w + 6 * b + i]);
          double change = Math.tanh(s[h + i] * mainParams[w + 3 * b + i] + mainParams[w + 7 * b + i]);
          s[h + b + i] = s[h + b + i] * forget + ingate * change;
          s[h + i] = outgate * Math.tanh(s[h + b + i]);
        }
        // the next layer's input is this layer's hidden state
        for (int i = 0; i < b; i++) {
          input[i] = s[h + i];
        }
      }
      for (int i = 0; i < b; i++) {
        ypred[i] = input[i] * extraParams[b + i] + extraParams[2 * b + i];
      }
      // ADBench's logsumexp (no max shift, and "+ 2")
      double sum = 0;
      for (int i = 0; i < b; i++) {
        sum = sum + Math.exp(ypred[i]);
      }
      sum = sum + 2;
      double lse = Math.log(sum);
      for (int i = 0; i < b; i++) {
        total = total + sequence[(t + 1) * b + i] * (ypred[i] - lse);
      }
      count = count + b;
    }
    return -total / count;
  }

  /** 1 / (1 + e^-x). */
  @Differentiable
  public static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
