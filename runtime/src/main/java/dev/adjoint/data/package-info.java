/** Feeding training loops: {@link dev.adjoint.data.DataLoader} (batches, seeded shuffling). */
package dev.adjoint.data;
