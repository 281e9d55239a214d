package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Failure.Category;
import dev.adjoint.processor.fuzz.TensorAst.Assign;
import dev.adjoint.processor.fuzz.TensorAst.Block;
import dev.adjoint.processor.fuzz.TensorAst.Decl;
import dev.adjoint.processor.fuzz.TensorAst.E;
import dev.adjoint.processor.fuzz.TensorAst.For;
import dev.adjoint.processor.fuzz.TensorAst.ForEach;
import dev.adjoint.processor.fuzz.TensorAst.If;
import dev.adjoint.processor.fuzz.TensorAst.M;
import dev.adjoint.processor.fuzz.TensorAst.P;
import dev.adjoint.processor.fuzz.TensorAst.Program;
import dev.adjoint.processor.fuzz.TensorAst.Return;
import dev.adjoint.processor.fuzz.TensorAst.S;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Greedy reduction of a failing tensor program, like {@link Shrinker}: candidates remove a
 * helper, a model field, the head or a block of the list, a statement, an else, replace a
 * compound statement by its body, or replace an expression by a sub-expression of the same type
 * or by a parameter of that type; they are validated (compiled without the processor and run) and
 * checked in batches, and the smallest that fails the same way at the same seed is kept.
 */
final class TensorShrinker {
  private static final int CHUNK = 60;

  private final TensorHarness harness;

  TensorShrinker(TensorHarness harness) {
    this.harness = harness;
  }

  /** The result: the smallest program found and its failure. */
  record Shrunk(Program program, Failure failure, int rounds, int compiledCandidates) {}

  static boolean shrinkable(Failure f) {
    return f.category() != Category.INVALID_PROGRAM;
  }

  /** The seed of a failure's point ({@code seed=…}), or 1 for compile failures. */
  static long seedOf(Failure f) {
    return f.point() == null ? 1 : (Long) f.point().args[0];
  }

  Shrunk shrink(Program original, Failure failure, long deadlineNanos) {
    Program best = original;
    Failure bestFailure = failure;
    long seed = seedOf(failure);
    String sig = failure.signature();
    int rounds = 0;
    int compiled = 0;
    outer:
    while (System.nanoTime() < deadlineNanos) {
      rounds++;
      int size = TensorAst.size(best);
      Map<String, Program> unique = new LinkedHashMap<>();
      for (Program c : candidates(best)) {
        if (TensorAst.size(c) < size) {
          unique.putIfAbsent(TensorAst.print(c, "S"), c);
        }
      }
      List<Program> cands = new ArrayList<>(unique.values());
      cands.sort(Comparator.comparingInt(TensorAst::size));
      for (int from = 0; from < cands.size(); from += CHUNK) {
        if (System.nanoTime() >= deadlineNanos) {
          break outer;
        }
        List<Program> chunk = new ArrayList<>();
        for (int k = from; k < Math.min(cands.size(), from + CHUNK); k++) {
          chunk.add(cands.get(k).renamed(original.name() + "c" + (k - from)));
        }
        compiled += chunk.size();
        Map<String, FuzzHarness.Result> res = harness.run(chunk, p -> List.of(seed), true);
        Program found = null;
        Failure foundFailure = null;
        for (Program c : chunk) {
          Failure f = res.get(c.name()).failure;
          if (f != null && f.signature().equals(sig) && (found == null || TensorAst.size(c) < TensorAst.size(found))) {
            found = c;
            foundFailure = f;
          }
        }
        if (found != null) {
          best = found.renamed(original.name());
          bestFailure = foundFailure;
          continue outer;
        }
      }
      break;
    }
    return new Shrunk(best, bestFailure, rounds, compiled);
  }

  /** Writes {@code p} as a regression-format file {@code dir/<cls>.java}; returns its text. */
  static String write(Path dir, String cls, Program p, Failure f, List<String> extraHeader) {
    List<String> header = new ArrayList<>();
    header.add("Adjoint tensor fuzz failure: " + f.signature());
    for (String line : f.detail().split("\n")) {
      header.add("  " + line.strip());
    }
    header.addAll(extraHeader);
    header.add("tensor-check: " + p.name() + " seed=" + seedOf(f));
    String text = TensorAst.unit(FuzzHarness.PKG, cls, header, p);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(cls + ".java"), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text;
  }

  // ------------------------------------------------------------------------------------------ mutations

  static List<Program> candidates(Program p) {
    List<Program> out = new ArrayList<>();
    for (int i = 0; i < p.helpers().size(); i++) {
      List<M> hs = new ArrayList<>(p.helpers());
      hs.remove(i);
      out.add(p.withHelpers(hs));
    }
    for (int i = 0; i < p.fields().size(); i++) {
      List<TensorAst.Field> fs = new ArrayList<>(p.fields());
      fs.remove(i);
      out.add(p.withFields(fs));
    }
    Block b = p.block();
    if (b != null) {
      if (b.head()) {
        out.add(p.withBlock(b.with(b.forward(), false, b.count(), b.heads())));
      }
      if (b.count() > 1) {
        out.add(p.withBlock(b.with(b.forward(), b.head(), b.count() - 1, b.heads())));
      }
      if (b.heads() > 0) {
        out.add(p.withBlock(b.with(b.forward(), b.head(), b.count(), b.heads() - 1)));
      }
      for (M f : methodVariants(b.forward())) {
        out.add(p.withBlock(b.with(f, b.head(), b.count(), b.heads())));
      }
    }
    for (int i = 0; i < p.helpers().size(); i++) {
      for (M h : methodVariants(p.helpers().get(i))) {
        List<M> hs = new ArrayList<>(p.helpers());
        hs.set(i, h);
        out.add(p.withHelpers(hs));
      }
    }
    for (M m : methodVariants(p.main())) {
      out.add(p.withMain(m));
    }
    return out;
  }

  private static List<M> methodVariants(M m) {
    List<M> out = new ArrayList<>();
    for (List<S> body : blockVariants(m.body(), true, m.params())) {
      out.add(m.withBody(body));
    }
    return out;
  }

  private static List<List<S>> blockVariants(List<S> b, boolean methodBody, List<P> params) {
    List<List<S>> out = new ArrayList<>();
    int n = b.size();
    int removable = methodBody && n > 0 && b.get(n - 1) instanceof Return ? n - 1 : n;
    for (int i = 0; i < removable; i++) {
      List<S> c = new ArrayList<>(b);
      c.remove(i);
      out.add(c);
    }
    for (int i = 0; i < n; i++) {
      for (List<S> splice : splices(b.get(i))) {
        List<S> c = new ArrayList<>(b.subList(0, i));
        c.addAll(splice);
        c.addAll(b.subList(i + 1, n));
        out.add(c);
      }
      for (S s : stmtVariants(b.get(i), params)) {
        List<S> c = new ArrayList<>(b);
        c.set(i, s);
        out.add(c);
      }
    }
    return out;
  }

  private static List<List<S>> splices(S s) {
    List<List<S>> out = new ArrayList<>();
    if (s instanceof If i) {
      out.add(i.then());
      if (!i.els().isEmpty()) {
        out.add(i.els());
        out.add(List.of(new If(i.cond(), i.then(), List.of())));
      }
    } else if (s instanceof For f) {
      out.add(f.body());
    } else if (s instanceof ForEach f && f.body().size() > 1) {
      out.add(List.of(new ForEach(f.type(), f.var(), f.over(), f.body().subList(0, 1))));
    }
    return out;
  }

  private static List<S> stmtVariants(S s, List<P> params) {
    List<S> out = new ArrayList<>();
    if (s instanceof Decl d) {
      exprVariants(d.init(), params).forEach(e -> out.add(new Decl(d.name(), e)));
    } else if (s instanceof Assign a) {
      exprVariants(a.value(), params).forEach(e -> out.add(new Assign(a.name(), a.op(), e)));
      if (!a.op().equals("=")) {
        out.add(new Assign(a.name(), "=", a.value()));
      }
    } else if (s instanceof Return r) {
      exprVariants(r.value(), params).forEach(e -> out.add(new Return(e)));
    } else if (s instanceof If i) {
      exprVariants(i.cond(), params).forEach(e -> out.add(new If(e, i.then(), i.els())));
      nested(i.then(), params, t -> new If(i.cond(), t, i.els()), out);
      nested(i.els(), params, e -> new If(i.cond(), i.then(), e), out);
    } else if (s instanceof For f) {
      if (!f.bound().equals("1")) {
        out.add(new For(f.var(), "1", f.body()));
      }
      nested(f.body(), params, body -> new For(f.var(), f.bound(), body), out);
    } else if (s instanceof ForEach f) {
      nested(f.body(), params, body -> new ForEach(f.type(), f.var(), f.over(), body), out);
    }
    return out;
  }

  private static void nested(List<S> block, List<P> params, Function<List<S>, S> rebuild, List<S> out) {
    for (List<S> v : blockVariants(block, false, params)) {
      out.add(rebuild.apply(v));
    }
  }

  /** Smaller expressions of the same type: a kid, a parameter, or the expression with one kid shrunk. */
  static List<E> exprVariants(E e, List<P> params) {
    List<E> out = new ArrayList<>();
    for (E k : e.kids()) {
      if (k.ty().equals(e.ty())) {
        out.add(k);
      }
    }
    if (!e.kids().isEmpty()) {
      for (P p : params) {
        if (p.ty().equals(e.ty())) {
          out.add(E.leaf(p.ty(), p.name(), 1));
        }
      }
      if (e.ty().equals(TensorAst.Ty.D)) {
        out.add(E.leaf(e.ty(), "0.5", 0.5));
      }
    }
    for (int i = 0; i < e.kids().size(); i++) {
      for (E v : exprVariants(e.kids().get(i), params)) {
        List<E> ks = new ArrayList<>(e.kids());
        ks.set(i, v);
        out.add(e.withKids(ks));
      }
    }
    return out;
  }
}
