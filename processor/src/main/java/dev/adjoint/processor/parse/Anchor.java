package dev.adjoint.processor.parse;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;

/** What a {@link dev.adjoint.processor.diag.Pos} holds: the tree and its compilation unit. */
record Anchor(Tree tree, CompilationUnitTree unit) {}
