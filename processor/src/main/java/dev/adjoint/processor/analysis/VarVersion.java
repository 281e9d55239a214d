package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Var;

/** One value of a variable: the variable and which of its assignments produced it. */
public record VarVersion(Var var, int version) {}
