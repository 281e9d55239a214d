package dev.adjoint.optim;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) with PyTorch's {@code torch.optim.AdamW} semantics: decoupled weight decay
 * {@code p *= 1 - lr·wd} before the Adam update (which then sees the raw gradient); default decay 0.01.
 */
public final class AdamW extends Adam {
  /** AdamW with learning rate {@code lr}, betas (0.9, 0.999), eps 1e-8 and weight decay 0.01. */
  public AdamW(List<Tensor> params, double lr) {
    super("AdamW", params, lr, 0.01);
  }

  @Override
  boolean decoupled() {
    return true;
  }
}
