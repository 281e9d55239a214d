/** Saving and loading named tensors: {@link dev.adjoint.io.SafeTensors} (the safetensors format). */
package dev.adjoint.io;
