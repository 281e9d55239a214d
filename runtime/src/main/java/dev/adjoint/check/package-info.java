/** A finite-difference gradient checker for any analytic (e.g. generated) gradient. */
package dev.adjoint.check;
