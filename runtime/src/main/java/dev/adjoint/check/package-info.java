/**
 * A finite-difference gradient checker for any analytic (e.g. generated) gradient, and the exception
 * a gradient generated with {@code -Aadjoint.checkFinite=true} throws at its first non-finite adjoint.
 */
package dev.adjoint.check;
