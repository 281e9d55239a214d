package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.TensorAst.Assign;
import dev.adjoint.processor.fuzz.TensorAst.Block;
import dev.adjoint.processor.fuzz.TensorAst.Decl;
import dev.adjoint.processor.fuzz.TensorAst.E;
import dev.adjoint.processor.fuzz.TensorAst.Field;
import dev.adjoint.processor.fuzz.TensorAst.For;
import dev.adjoint.processor.fuzz.TensorAst.ForEach;
import dev.adjoint.processor.fuzz.TensorAst.If;
import dev.adjoint.processor.fuzz.TensorAst.M;
import dev.adjoint.processor.fuzz.TensorAst.P;
import dev.adjoint.processor.fuzz.TensorAst.Program;
import dev.adjoint.processor.fuzz.TensorAst.Return;
import dev.adjoint.processor.fuzz.TensorAst.S;
import dev.adjoint.processor.fuzz.TensorAst.Ty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Generates random, valid tensor {@code @Differentiable} programs (the TENSOR feature): static
 * methods over {@code Tensor} and {@code double} parameters of small shapes that broadcast
 * against each other ([2,3] with [3], [1,3], [2,1], [] ...), returning {@code double} (checked
 * through {@code m}) or a {@code Tensor} (checked through {@code mVjp} with a random seed); and
 * models — a class with tensor fields, a sub-module field {@code head} and a
 * {@code List} of sub-modules {@code blocks} iterated with for-each, calling its own instance
 * helpers — whose instance method is the checked one.
 *
 * <p>Expressions are generated for a wanted shape: element-wise ops (domains kept: log, sqrt,
 * pow and reciprocals only of positive forms such as {@code x.square().add(0.5)}, exp only of
 * bounded values), tensor-tensor ops with broadcasting, tensor-double ops, reductions (all, over
 * a dimension, keepdim), matmul, {@code Layers.linear}, transpose, reshape, broadcastTo,
 * {@code Loss.mse}, {@code ?:} between tensors on a double condition, calls of generated static
 * helpers returning {@code Tensor} and {@code double}, and sub-module calls. Statements declare and
 * re-assign tensors and doubles, inside {@code if}/{@code else} and counted loops. Every
 * expression carries a bound on its magnitude; a value that could exceed 6 is squashed with
 * tanh, and assignments in loops are contracting, so values stay bounded.
 */
final class TensorGenerator {
  private static final double SQUASH = 6;
  /** Shapes tensors of a program take; they broadcast against each other in many ways. */
  private static final List<List<Integer>> POOL = List.of(List.of(2, 3), List.of(3), List.of(1, 3), List.of(2, 1),
      List.of(2), List.of(3, 4), List.of(), List.of(4), List.of(1, 1), List.of(2, 4), List.of(3, 2));
  /** Shapes of parameters and locals. */
  private static final List<List<Integer>> VAR_SHAPES = List.of(List.of(2, 3), List.of(2, 3), List.of(3),
      List.of(1, 3), List.of(2, 1), List.of(2), List.of(3, 4), List.of());
  private static final String[] LITS = {"0.5", "1.5", "0.25", "2.0", "0.75", "1.0", "0.3"};
  private static final Ty H = Ty.tensor(2, 3);

  /** A variable in scope. */
  private static final class V {
    final String name;
    final Ty ty;
    double mag;
    final boolean assignable;

    V(String name, Ty ty, double mag, boolean assignable) {
      this.name = name;
      this.ty = ty;
      this.mag = mag;
      this.assignable = assignable;
    }
  }

  /** Generates the program called {@code name} ({@code t17}: classes {@code T17}, {@code T17Blk}). */
  Program generate(Random r, String name) {
    return new Gen(r).program(name);
  }

  private static final class Gen {
    final Random r;
    final List<M> helpers = new ArrayList<>();
    List<V> vars = new ArrayList<>();
    int next;
    int depth;
    int loopDepth;
    boolean model;
    boolean inBlock;
    /** Generating a static method: no fields, sub-modules or instance helpers. */
    boolean staticCtx;
    boolean hasHead;
    int blockCount;
    int headsCount;
    /** Counters of the enclosing for loops (usable as doubles). */
    final List<String> loopVars = new ArrayList<>();
    /** The main method's result type, while its body is generated (for early returns). */
    Ty mainResult;

    Gen(Random r) {
      this.r = r;
    }

    Program program(String name) {
      model = r.nextDouble() < 0.35;
      List<Field> fields = new ArrayList<>();
      Block block = null;
      if (model) {
        int nf = r.nextInt(3);
        for (int i = 0; i < nf; i++) {
          fields.add(new Field("w" + i, Ty.tensor(pick(VAR_SHAPES))));
        }
        if (r.nextDouble() < 0.8) {
          block = block();
        }
      }
      List<V> fieldVars = new ArrayList<>();
      for (Field f : fields) {
        fieldVars.add(new V(f.name(), f.ty(), 1, false));
      }
      int nh = r.nextDouble() < 0.6 ? 1 + r.nextInt(2) : 0;
      for (int j = 0; j < nh; j++) {
        helpers.add(helper(j, fieldVars));
      }
      M main = main(fieldVars);
      return new Program(name, List.copyOf(helpers), main, model, List.copyOf(fields), block);
    }

    // -------------------------------------------------------------------------------- methods

    Block block() {
      List<Field> fs = new ArrayList<>();
      fs.add(new Field("w", Ty.tensor(pick(List.of(List.of(3, 3), List.of(3), List.of(1, 3), List.of(2, 3))))));
      if (r.nextDouble() < 0.7) {
        fs.add(new Field("b", Ty.tensor(3)));
      }
      hasHead = r.nextBoolean();
      blockCount = 1 + r.nextInt(3);
      headsCount = r.nextDouble() < 0.4 ? 1 + r.nextInt(2) : 0;
      List<V> scope = new ArrayList<>();
      for (Field f : fs) {
        scope.add(new V(r.nextDouble() < 0.2 ? "this." + f.name() : f.name(), f.ty(), 1, false));
      }
      scope.add(new V("h", H, 1, true));
      enter(scope);
      inBlock = true;
      List<S> body = new ArrayList<>();
      if (r.nextBoolean()) {
        body.add(declTensor());
      }
      body.add(new Return(E.of(H, 1, "#0.tanh()", texpr(H, 2))));
      inBlock = false;
      return new Block(List.copyOf(fs), new M(false, H, "forward", List.of(new P(H, "h", false)), body), hasHead,
          blockCount, headsCount);
    }

    /** {@code Tensor $_hj(Tensor u, double s)} or {@code double $_hj(Tensor u)}. */
    M helper(int j, List<V> fieldVars) {
      boolean instance = model && r.nextDouble() < 0.6;
      Ty u = Ty.tensor(pick(VAR_SHAPES));
      boolean tensorResult = r.nextDouble() < 0.65;
      List<P> params = new ArrayList<>(List.of(new P(u, "u", false)));
      if (r.nextDouble() < 0.35) {
        // a second tensor, of a shape that broadcasts to u's (callers may pass the same tensor twice)
        params.add(new P(Ty.tensor(pick(compatible(u.shape()))), "v", false));
      }
      if (tensorResult && r.nextBoolean()) {
        params.add(new P(Ty.D, "s", false));
      }
      staticCtx = !instance;
      List<V> scope = new ArrayList<>(instance ? fieldVars : List.of());
      for (P p : params) {
        scope.add(new V(p.name(), p.ty(), p.ty().isTensor() ? 1 : 2, true));
      }
      enter(scope);
      List<S> body = new ArrayList<>();
      int n = r.nextInt(3);
      for (int i = 0; i < n; i++) {
        body.add(r.nextDouble() < 0.7 ? declTensor() : declDouble());
      }
      Ty result = tensorResult ? u : Ty.D;
      body.add(new Return(squash(tensorResult ? texpr(u, 2) : dexpr(2))));
      staticCtx = false;
      return new M(!instance, result, "$_h" + j, List.copyOf(params), body);
    }

    M main(List<V> fieldVars) {
      List<P> params = new ArrayList<>();
      if (model) {
        params.add(new P(H, "x", r.nextDouble() < 0.4));
        if (r.nextBoolean()) {
          params.add(new P(Ty.D, "p", false));
        }
      } else {
        int nt = 1 + r.nextInt(3);
        for (int i = 0; i < nt; i++) {
          params.add(new P(Ty.tensor(pick(VAR_SHAPES)), String.valueOf("xyz".charAt(i)), r.nextDouble() < 0.1));
        }
        int nd = r.nextInt(3);
        for (int i = 0; i < nd; i++) {
          params.add(new P(Ty.D, String.valueOf("pq".charAt(i)), false));
        }
        Collections.shuffle(params, r);
      }
      if (params.stream().allMatch(P::noDerivative)) {
        // a method with nothing to differentiate is rejected (ADJ106), by design
        P first = params.get(0);
        params.set(0, new P(first.ty(), first.name(), false));
      }
      List<V> scope = new ArrayList<>(fieldVars);
      for (P p : params) {
        scope.add(new V(p.name(), p.ty(), p.ty().isTensor() ? 1 : 2, true));
      }
      enter(scope);
      boolean tensorResult = r.nextDouble() < 0.35;
      List<V> ts0 = tensors(true);
      Ty resultTy = tensorResult ? (ts0.isEmpty() ? H : pick(ts0).ty) : Ty.D;
      mainResult = resultTy;
      List<S> body = new ArrayList<>();
      if (model && blockCount > 0) {
        String h = fresh("h");
        body.add(new Decl(h, texpr(H, 1)));
        vars.add(new V(h, H, body.get(0) instanceof Decl d ? d.init().mag() : 1, true));
      }
      int n = 2 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        body.add(statement());
      }
      body.add(new Return(result()));
      mainResult = null;
      return new M(!model, resultTy, "$", List.copyOf(params), body);
    }

    /** A value for the main method's return statement. */
    E result() {
      if (!mainResult.isTensor()) {
        return finalDouble();
      }
      E e = texpr(mainResult, 2);
      V other = pick(tensors(true));
      if (other != null && fits(other.ty, mainResult)) {
        e = E.of(mainResult, e.mag() + other.mag, "#0.add(#1)", e, ref(other));
      }
      return e;
    }

    /** A double result reading a few variables (so that most parameters reach it). */
    E finalDouble() {
      List<V> pool = new ArrayList<>(vars);
      Collections.shuffle(pool, r);
      E sum = null;
      int terms = 1 + r.nextInt(3);
      for (int i = 0; i < terms && i < pool.size(); i++) {
        V v = pool.get(i);
        E t = v.ty.isTensor() ? reduceAll(ref(v)) : ref(v);
        sum = sum == null ? t : E.of(Ty.D, sum.mag() + t.mag(), r.nextBoolean() ? "#0 + #1" : "#0 - #1", sum, t);
      }
      E extra = dexpr(2);
      return sum == null ? extra : E.of(Ty.D, sum.mag() + extra.mag(), "#0 + #1", sum, extra);
    }

    E reduceAll(E t) {
      return switch (r.nextInt(4)) {
        case 0 -> E.of(Ty.D, t.mag() * t.ty().numel(), "#0.sum().item()", t);
        case 1 -> E.of(Ty.D, t.mag(), "#0.mean().item()", t);
        case 2 -> E.of(Ty.D, t.mag() * t.mag(), "#0.square().mean().item()", t);
        default -> E.of(Ty.D, 1, "#0.tanh().sum().item()", t);
      };
    }

    // -------------------------------------------------------------------------------- statements

    S statement() {
      List<Double> w = new ArrayList<>();
      List<Supplier<S>> opts = new ArrayList<>();
      option(w, opts, 3, this::declTensor);
      option(w, opts, 1.2, this::declDouble);
      if (!assignable(true).isEmpty()) {
        option(w, opts, 2.5, () -> assign(pick(assignable(true))));
      }
      if (!assignable(false).isEmpty()) {
        option(w, opts, 0.8, () -> assign(pick(assignable(false))));
      }
      if (depth < 2) {
        option(w, opts, 1.5, this::ifStmt);
        if (loopDepth < 2) {
          option(w, opts, 1.2, this::forStmt);
        }
      }
      if (model && !inBlock && !staticCtx && blockCount > 0 && depth < 2 && !hHolders().isEmpty()) {
        option(w, opts, 2, this::forEachBlocks);
        option(w, opts, 0.7, () -> indexedModules(headsCount > 0 && r.nextBoolean()));
      }
      return choose(w, opts);
    }

    S declTensor() {
      Ty ty = Ty.tensor(pick(VAR_SHAPES));
      E e = r.nextDouble() < 0.15 ? ternary(ty, 2) : squash(texpr(ty, 2));
      String n = fresh("t");
      vars.add(new V(n, ty, e.mag(), true));
      return new Decl(n, e);
    }

    S declDouble() {
      E e = r.nextDouble() < 0.15
          ? E.of(Ty.D, 0, "(#0 ? #1 : #2)", condition(), squash(dexpr(2)), squash(dexpr(2))).withMag()
          : squash(dexpr(2));
      String n = fresh("s");
      vars.add(new V(n, Ty.D, e.mag(), true));
      return new Decl(n, e);
    }

    /** {@code v = e}; in loops contracting ({@code v = v * 0.5 + tanh(e) * 0.5} or a squashed e). */
    S assign(V v) {
      boolean tensor = v.ty.isTensor();
      if (!tensor && r.nextDouble() < 0.35) {
        // compound: in loops a bounded increment (at most 9 iterations in all)
        E inc = E.of(Ty.D, 0.25, "0.25 * Math.tanh(#0)", dexpr(2));
        String op = pick("+=", "-=");
        if (loopDepth == 0) {
          inc = bounded(dexpr(2), 2);
          if (r.nextDouble() < 0.3) {
            op = "*=";
            inc = E.of(Ty.D, 1.5, "(1.0 + 0.5 * Math.sin(#0))", dexpr(2));
            v.mag *= 1.5;
            return new Assign(v.name, op, inc);
          }
        }
        v.mag += loopDepth > 0 ? 9 * inc.mag() : inc.mag();
        return new Assign(v.name, op, inc);
      }
      E e;
      if (loopDepth > 0) {
        E inner = tensor ? texpr(v.ty, 2) : dexpr(2);
        if (r.nextBoolean()) {
          e = tensor ? E.of(v.ty, 1, "#0.tanh()", inner) : E.of(Ty.D, 1, "Math.tanh(#0)", inner);
        } else {
          e = tensor ? E.of(v.ty, v.mag, "#0.mul(0.5).add(#1.tanh().mul(0.5))", ref(v), inner)
              : E.of(Ty.D, v.mag, "0.5 * #0 + 0.5 * Math.tanh(#1)", ref(v), inner);
        }
        v.mag = Math.max(v.mag, 1);
      } else {
        e = tensor && r.nextDouble() < 0.15 ? ternary(v.ty, 2) : squash(tensor ? texpr(v.ty, 2) : dexpr(2));
        v.mag = e.mag();
      }
      return new Assign(v.name, e);
    }

    S ifStmt() {
      E cond = condition();
      double[] before = mags();
      List<S> then = block(1 + r.nextInt(2));
      if (mainResult != null && r.nextDouble() < 0.25) {
        // an early return (only from the then-branch, so the code after the if stays reachable)
        int mark = vars.size();
        then = new ArrayList<>(then);
        then.add(new Return(result()));
        vars = new ArrayList<>(vars.subList(0, mark));
      }
      double[] afterThen = mags();
      restore(before);
      List<S> els = r.nextBoolean() ? block(1 + r.nextInt(2)) : List.of();
      double[] afterElse = mags();
      for (int i = 0; i < before.length; i++) {
        vars.get(i).mag = Math.max(afterThen[i], afterElse[i]);
      }
      return new If(cond, then, els);
    }

    S forStmt() {
      String i = fresh("i");
      loopDepth++;
      loopVars.add(i);
      // a loop body runs again: variables assigned in it are contracting, so one pass bounds them
      List<S> body = block(1 + r.nextInt(2));
      loopVars.remove(i);
      loopDepth--;
      return new For(i, Integer.toString(1 + r.nextInt(3)), body);
    }

    /** {@code for (int i = 0; i < blocks.size(); i++) { h = blocks.get(i).forward(h); ... }} (or heads). */
    S indexedModules(boolean array) {
      String i = fresh("i");
      List<S> body = moduleLoopBody(array ? "heads[" + i + "]" : "blocks.get(" + i + ")");
      return new For(i, array ? "heads.length" : "blocks.size()", body);
    }

    /** {@code for (Blk blk : blocks) { h = blk.forward(h); ... }}. */
    S forEachBlocks() {
      String blk = fresh("blk");
      return new ForEach("$Blk", blk, "blocks", moduleLoopBody(blk));
    }

    /** {@code h = module.forward(h);} for a tensor h of shape [2, 3], sometimes followed by a statement. */
    private List<S> moduleLoopBody(String module) {
      V h = pick(hHolders());
      loopDepth++;
      int mark = vars.size();
      depth++;
      E arg = h.mag > 1 ? E.of(H, 1, "#0.tanh()", ref(h)) : ref(h);
      List<S> body = new ArrayList<>();
      body.add(new Assign(h.name, E.of(H, 1, module + ".forward(#0)", arg)));
      h.mag = Math.max(h.mag, 1);
      if (r.nextBoolean()) {
        body.add(statement());
      }
      depth--;
      vars = new ArrayList<>(vars.subList(0, mark));
      loopDepth--;
      return body;
    }

    List<S> block(int n) {
      int mark = vars.size();
      depth++;
      List<S> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(statement());
      }
      depth--;
      vars = new ArrayList<>(vars.subList(0, mark));
      return out;
    }

    // -------------------------------------------------------------------------------- expressions

    /** A tensor expression of type {@code ty} (a tensor shape) with at most {@code d} levels of ops. */
    E texpr(Ty ty, int d) {
      List<Integer> s = ty.shape();
      if (d <= 0 || r.nextDouble() < 0.2) {
        return leaf(ty);
      }
      List<Double> w = new ArrayList<>();
      List<Supplier<E>> opts = new ArrayList<>();
      option(w, opts, 3, () -> unary(ty, d));
      option(w, opts, 3, () -> binary(ty, d));
      option(w, opts, 2, () -> withDouble(ty, d));
      option(w, opts, 0.8, () -> ternary(ty, d)); // a ?: inside a tensor op's operand
      option(w, opts, 1.5, () -> reduction(ty, d));
      if (s.size() == 2) {
        option(w, opts, 0.5, () -> E.of(ty, 0, "#0.transpose()", texpr(Ty.tensor(s.get(1), s.get(0)), d - 1)).withMag());
      }
      if (s.size() <= 2) {
        option(w, opts, 1.2, () -> matmul(ty, d));
      }
      if (!s.isEmpty()) {
        option(w, opts, 0.6, () -> reshape(ty, d));
      }
      if (s.isEmpty()) {
        option(w, opts, 0.6, () -> {
          Ty t = Ty.tensor(pick(VAR_SHAPES));
          E a = texpr(t, d - 1);
          E b = texpr(t, d - 1);
          return E.of(ty, (a.mag() + b.mag()) * (a.mag() + b.mag()), "Loss.mse(#0, #1)", a, b);
        });
      }
      if (!helpersReturning(ty).isEmpty()) {
        option(w, opts, 2, () -> call(pick(helpersReturning(ty)), d));
      }
      if (model && !inBlock && !staticCtx && ty.equals(H) && blockCount > 0) {
        option(w, opts, 1.2, () -> {
          double u = r.nextDouble();
          String recv = hasHead && u < 0.4 ? (r.nextBoolean() ? "head" : "this.head")
              : headsCount > 0 && u < 0.7 ? "heads[" + r.nextInt(headsCount) + "]"
              : "blocks.get(" + r.nextInt(blockCount) + ")";
          return E.of(H, 1, recv + ".forward(#0)", bounded(texpr(H, d - 1), 1));
        });
      }
      return squash(choose(w, opts));
    }

    /** {@code (cond ? a : b)} between tensors of {@code ty}. */
    E ternary(Ty ty, int d) {
      return E.of(ty, 0, "(#0 ? #1 : #2)", condition(), squash(texpr(ty, d - 1)), squash(texpr(ty, d - 1))).withMag();
    }

    E leaf(Ty ty) {
      List<V> same = new ArrayList<>();
      for (V v : vars) {
        if (v.ty.equals(ty)) {
          same.add(v);
        }
      }
      if (!same.isEmpty() && r.nextDouble() < 0.85) {
        return ref(pick(same));
      }
      List<Integer> s = ty.shape();
      List<V> narrower = new ArrayList<>();
      for (V v : tensors(false)) {
        if (!v.ty.equals(ty) && fits(v.ty, ty) && !s.isEmpty()) {
          narrower.add(v);
        }
      }
      if (!narrower.isEmpty() && r.nextBoolean()) {
        V v = pick(narrower);
        return E.of(ty, v.mag, "#0.broadcastTo(" + ty.dims() + ")", ref(v));
      }
      List<V> sameSize = new ArrayList<>();
      for (V v : tensors(false)) {
        if (!v.ty.shape().isEmpty() && !s.isEmpty() && v.ty.numel() == ty.numel()) {
          sameSize.add(v);
        }
      }
      if (!sameSize.isEmpty() && r.nextDouble() < 0.6) {
        V v = pick(sameSize);
        List<Integer> vs = v.ty.shape();
        boolean transposed = vs.size() == 2 && s.size() == 2 && vs.get(0).equals(s.get(1)) && vs.get(1).equals(s.get(0));
        return E.of(ty, v.mag, transposed && r.nextBoolean() ? "#0.transpose()" : "#0.reshape(" + ty.dims() + ")", ref(v));
      }
      if (s.isEmpty()) {
        E d = dexpr(1);
        return E.of(ty, d.mag(), "Tensor.scalar(#0)", d);
      }
      if (!same.isEmpty() && r.nextBoolean()) {
        E d = dexpr(1);
        return E.of(ty, d.mag(), "Tensor.onesLike(#0).mul(#1)", ref(pick(same)), d);
      }
      if (r.nextDouble() < 0.8) {
        // a tensor of the shape that still depends on the variables
        E d = dexpr(1);
        return E.of(ty, d.mag(), "Tensor.ones(" + ty.dims() + ").mul(#0)", d);
      }
      String lit = pick(LITS);
      return E.leaf(ty, "Tensor.full(" + lit + ", " + ty.dims() + ")", Double.parseDouble(lit));
    }

    E unary(Ty ty, int d) {
      E a = texpr(ty, d - 1);
      double m = a.mag();
      return switch (r.nextInt(13)) {
        case 11 -> E.of(ty, m, "#0.copy()", a);
        case 12 -> {
          // a mask: derivative zero; a kink where the masked value crosses the threshold
          E b = texpr(Ty.tensor(pick(compatible(ty.shape()))), d - 1);
          String cmp = pick("gt", "lt", "ge", "le");
          yield r.nextBoolean() ? E.of(ty, m, "#0.mul(#1." + cmp + "(" + pick("0.0", "0.25", "-0.5") + "))", a, b)
              : E.of(ty, m, "#0.mul(#0." + cmp + "(#1))", a, b);
        }
        case 0 -> E.of(ty, m, "#0.neg()", a);
        case 1 -> E.of(ty, Math.exp(Math.min(m, 3)), "#0.exp()", m > 3 ? E.of(ty, 1, "#0.tanh()", a) : a);
        case 2 -> E.of(ty, 1, "#0.tanh()", a);
        case 3 -> E.of(ty, 1, "#0.sigmoid()", a);
        case 4 -> E.of(ty, m, "#0.relu()", a);
        case 5 -> E.of(ty, m, "#0.abs()", a);
        case 6 -> E.of(ty, m * m, "#0.square()", a);
        case 7 -> E.of(ty, Math.max(0.7, Math.log(m * m + 0.5)), "#0.log()", positive(a));
        case 8 -> E.of(ty, Math.sqrt(m * m + 0.5), "#0.sqrt()", positive(a));
        case 9 -> {
          String p = pick("1.5", "0.5", "-0.5", "2.5");
          double base = m * m + 0.5;
          yield E.of(ty, Math.max(Math.pow(base, Double.parseDouble(p)), Math.pow(0.25, Double.parseDouble(p))),
              "#0.pow(" + p + ")", positive(a));
        }
        default -> {
          String p = pick("2.0", "3.0");
          yield E.of(ty, Math.pow(m, Double.parseDouble(p)), "#0.pow(" + p + ")", a);
        }
      };
    }

    /** A positive form of {@code a} (at least 0.25 where it is not an exp or a sigmoid). */
    E positive(E a) {
      Ty ty = a.ty();
      return switch (r.nextInt(4)) {
        case 0 -> E.of(ty, a.mag() + 0.25, "#0.abs().add(0.25)", a);
        case 1 -> E.of(ty, 1, "#0.tanh().sigmoid()", a);
        default -> E.of(ty, a.mag() * a.mag() + 0.5, "#0.square().add(0.5)", a);
      };
    }

    /** {@code a op b} with b (or a) of a shape that broadcasts to {@code ty}. */
    E binary(Ty ty, int d) {
      Ty other = Ty.tensor(pick(compatible(ty.shape())));
      E a = texpr(ty, d - 1);
      E b = texpr(other, d - 1);
      boolean swap = r.nextBoolean();
      E l = swap ? b : a;
      E rr = swap ? a : b;
      return switch (r.nextInt(4)) {
        case 0 -> E.of(ty, l.mag() + rr.mag(), "#0.add(#1)", l, rr);
        case 1 -> E.of(ty, l.mag() + rr.mag(), "#0.sub(#1)", l, rr);
        case 2 -> E.of(ty, l.mag() * rr.mag(), "#0.mul(#1)", l, rr);
        default -> {
          E den = positive(rr);
          yield E.of(ty, l.mag() / (den.template().contains("sigmoid") ? 0.2 : 0.25), "#0.div(#1)", l, den);
        }
      };
    }

    E withDouble(Ty ty, int d) {
      E a = texpr(ty, d - 1);
      E s = dexpr(d - 1);
      return switch (r.nextInt(6)) {
        case 0 -> E.of(ty, a.mag() + s.mag(), "#0.add(#1)", a, s);
        case 1 -> E.of(ty, a.mag() + s.mag(), "#0.sub(#1)", a, s);
        case 2 -> E.of(ty, a.mag() * s.mag(), "#0.mul(#1)", a, s);
        case 3 -> E.of(ty, a.mag(), "#0.div(1.0 + #1 * #1)", a, s);
        case 4 -> E.of(ty, a.mag() + s.mag(), "#0.rsub(#1)", a, s);
        default -> E.of(ty, s.mag() * 4, "#0.rdiv(#1)", E.of(ty, a.mag() * a.mag() + 0.25, "#0.square().add(0.25)", a), s);
      };
    }

    /** {@code ty} as a reduction of a larger tensor: over everything, or over one dimension. */
    E reduction(Ty ty, int d) {
      List<Integer> s = ty.shape();
      if (s.isEmpty()) {
        Ty src = Ty.tensor(pick(VAR_SHAPES));
        E a = texpr(src, d - 1);
        return switch (r.nextInt(3)) {
          case 0 -> E.of(ty, a.mag() * src.numel(), "#0.sum()", a);
          case 1 -> E.of(ty, a.mag(), "#0.mean()", a);
          default -> E.of(ty, a.mag(), "#0.max()", a);
        };
      }
      List<String> forms = new ArrayList<>();
      List<Ty> sources = new ArrayList<>();
      for (List<Integer> src : POOL) {
        for (int dim = 0; dim < src.size(); dim++) {
          List<Integer> without = new ArrayList<>(src);
          without.remove(dim);
          List<Integer> kept = new ArrayList<>(src);
          kept.set(dim, 1);
          String op = pick("sum", "mean", "sum", "max");
          if (without.equals(s)) {
            forms.add("#0." + op + "(" + dim + ")");
            sources.add(Ty.tensor(src));
          }
          if (kept.equals(s) && !src.equals(s)) {
            forms.add("#0." + op + "(" + dim + ", true)");
            sources.add(Ty.tensor(src));
          }
        }
      }
      if (forms.isEmpty()) {
        return unary(ty, d);
      }
      int k = r.nextInt(forms.size());
      E a = texpr(sources.get(k), d - 1);
      int n = sources.get(k).numel() / ty.numel();
      return E.of(ty, forms.get(k).contains("sum") ? a.mag() * n : a.mag(), forms.get(k), a);
    }

    /** {@code ty} as a matrix or vector product (or a linear layer). */
    E matmul(Ty ty, int d) {
      List<Integer> s = ty.shape();
      int k = 2 + r.nextInt(3);
      E a;
      E b;
      if (s.size() == 2) {
        a = texpr(Ty.tensor(s.get(0), k), d - 1);
        b = texpr(Ty.tensor(k, s.get(1)), d - 1);
        if (r.nextDouble() < 0.35) {
          E bias = texpr(Ty.tensor(s.get(1)), d - 1);
          return E.of(ty, a.mag() * b.mag() * k + bias.mag(), "Layers.linear(#0, #1, #2)", a, b, bias);
        }
        if (r.nextDouble() < 0.15) {
          return E.of(ty, a.mag() * b.mag() * k, "Layers.linear(#0, #1)", a, b);
        }
      } else if (s.size() == 1) {
        if (r.nextBoolean()) {
          a = texpr(Ty.tensor(k), d - 1);
          b = texpr(Ty.tensor(k, s.get(0)), d - 1);
        } else {
          a = texpr(Ty.tensor(s.get(0), k), d - 1);
          b = texpr(Ty.tensor(k), d - 1);
        }
      } else {
        a = texpr(Ty.tensor(k), d - 1);
        b = texpr(Ty.tensor(k), d - 1);
      }
      return E.of(ty, a.mag() * b.mag() * k, "#0.matmul(#1)", a, b);
    }

    E reshape(Ty ty, int d) {
      List<Integer> s = ty.shape();
      if (r.nextDouble() < 0.4) {
        // squeeze / unsqueeze
        if (s.size() == 2 && (s.get(0) == 1 || s.get(1) == 1)) {
          int dim = s.get(0) == 1 ? 0 : 1;
          return E.of(ty, 0, "#0.unsqueeze(" + dim + ")", texpr(Ty.tensor(s.get(1 - dim)), d - 1)).withMag();
        }
        if (s.size() == 1) {
          int dim = r.nextInt(2);
          Ty src = dim == 0 ? Ty.tensor(1, s.get(0)) : Ty.tensor(s.get(0), 1);
          return E.of(ty, 0, "#0.squeeze(" + dim + ")", texpr(src, d - 1)).withMag();
        }
      }
      List<List<Integer>> same = new ArrayList<>();
      for (List<Integer> src : POOL) {
        if (!src.equals(ty.shape()) && Ty.tensor(src).numel() == ty.numel() && !src.isEmpty()) {
          same.add(src);
        }
      }
      if (same.isEmpty()) {
        return unary(ty, d);
      }
      E a = texpr(Ty.tensor(pick(same)), d - 1);
      String dims = ty.shape().size() == 1 && r.nextBoolean() ? "-1" : ty.dims();
      return E.of(ty, a.mag(), "#0.reshape(" + dims + ")", a);
    }

    E call(M h, int d) {
      List<E> args = new ArrayList<>();
      StringBuilder t = new StringBuilder(h.isStatic() || r.nextBoolean() ? "" : "this.");
      t.append(h.name()).append('(');
      for (int i = 0; i < h.params().size(); i++) {
        Ty pt = h.params().get(i).ty();
        if (i > 0 && pt.equals(args.get(0).ty()) && args.get(0).kids().isEmpty() && r.nextBoolean()) {
          args.add(args.get(0));
          t.append(", #").append(i);
          continue;
        }
        args.add(pt.isTensor() ? bounded(texpr(pt, d - 1), 1) : bounded(dexpr(d - 1), 2));
        t.append(i > 0 ? ", " : "").append('#').append(i);
      }
      t.append(')');
      return new E(h.result(), t.toString(), args, SQUASH);
    }

    /** A double expression. */
    E dexpr(int d) {
      if (d <= 0 || r.nextDouble() < 0.3) {
        List<V> ds = new ArrayList<>();
        for (V v : vars) {
          if (v.ty == Ty.D || v.ty.equals(Ty.D)) {
            ds.add(v);
          }
        }
        double u = r.nextDouble();
        if (!ds.isEmpty() && u < 0.5) {
          return ref(pick(ds));
        }
        if (u < 0.6 && !loopVars.isEmpty()) {
          return E.of(Ty.D, 0.75, "0.25 * " + pick(loopVars), new E[0]);
        }
        if (u < 0.75 && !tensors(false).isEmpty()) {
          V t = pick(tensors(false));
          List<Integer> sh = t.ty.shape();
          if (!sh.isEmpty() && sh.size() <= 2 && r.nextDouble() < 0.3) {
            StringJoiner idx = new StringJoiner(", ");
            sh.forEach(n -> idx.add(Integer.toString(r.nextInt(n))));
            return E.of(Ty.D, t.mag, "#0.get(" + idx + ")", ref(t));
          }
          return reduceAll(ref(t));
        }
        String lit = pick(LITS);
        return E.leaf(Ty.D, lit, Double.parseDouble(lit));
      }
      List<Double> w = new ArrayList<>();
      List<Supplier<E>> opts = new ArrayList<>();
      option(w, opts, 2, () -> {
        E a = dexpr(d - 1);
        E b = dexpr(d - 1);
        return switch (r.nextInt(3)) {
          case 0 -> E.of(Ty.D, a.mag() + b.mag(), "#0 + #1", a, b);
          case 1 -> E.of(Ty.D, a.mag() + b.mag(), "#0 - #1", a, b);
          default -> E.of(Ty.D, a.mag() * b.mag(), "#0 * #1", a, b);
        };
      });
      option(w, opts, 1, () -> E.of(Ty.D, 1, pick("Math.tanh(#0)", "Math.sin(#0)"), dexpr(d - 1)));
      option(w, opts, 1.5, () -> {
        E t = texpr(Ty.tensor(), d - 1);
        return E.of(Ty.D, t.mag(), "#0.item()", t);
      });
      option(w, opts, 1, () -> reduceAll(texpr(Ty.tensor(pick(VAR_SHAPES)), d - 1)));
      option(w, opts, 0.4, () -> E.of(Ty.D, 0, "(#0 ? #1 : #2)", condition(), dexpr(d - 1), dexpr(d - 1)).withMag());
      if (!helpersReturning(Ty.D).isEmpty()) {
        option(w, opts, 1.2, () -> call(pick(helpersReturning(Ty.D)), d));
      }
      return squash(choose(w, opts));
    }

    E condition() {
      E c = comparison();
      if (r.nextDouble() < 0.2) {
        // the right of && / || runs only sometimes: its tensor ops must not be hoisted out of it
        return E.of(Ty.B, 0, "#0 " + pick("&&", "||") + " #1", c, comparison());
      }
      return c;
    }

    E comparison() {
      E a = r.nextBoolean() ? dexpr(1) : reduceAll(texpr(Ty.tensor(pick(VAR_SHAPES)), 1));
      String lit = pick("0.0", "0.5", "-0.5", "0.25", "1.0");
      return E.of(Ty.B, 0, "#0 " + pick(">", "<", ">=", "<=") + " " + lit, a);
    }

    // -------------------------------------------------------------------------------- helpers

    E squash(E e) {
      if (e.mag() <= SQUASH) {
        return e;
      }
      return e.ty().isTensor() ? E.of(e.ty(), 1, "#0.tanh()", e) : E.of(Ty.D, 1, "Math.tanh(#0)", e);
    }

    E bounded(E e, double limit) {
      if (e.mag() <= limit) {
        return e;
      }
      return e.ty().isTensor() ? E.of(e.ty(), 1, "#0.tanh()", e) : E.of(Ty.D, 2, "2 * Math.tanh(#0)", e);
    }

    E ref(V v) {
      return E.leaf(v.ty, v.name, v.mag);
    }

    List<M> helpersReturning(Ty ty) {
      List<M> out = new ArrayList<>();
      for (M h : helpers) {
        if (h.result().equals(ty) && (h.isStatic() || (model && !inBlock && !staticCtx))) {
          out.add(h);
        }
      }
      return out;
    }

    /** Shapes that broadcast against {@code s} to {@code s}. */
    List<List<Integer>> compatible(List<Integer> s) {
      List<List<Integer>> out = new ArrayList<>();
      for (List<Integer> c : POOL) {
        if (fits(Ty.tensor(c), Ty.tensor(s))) {
          out.add(c);
        }
      }
      return out;
    }

    /** Whether {@code a} broadcasts to {@code b} (b's shape is the broadcast of both). */
    static boolean fits(Ty a, Ty b) {
      List<Integer> x = a.shape();
      List<Integer> y = b.shape();
      if (x.size() > y.size()) {
        return false;
      }
      for (int i = 1; i <= x.size(); i++) {
        int xi = x.get(x.size() - i);
        int yi = y.get(y.size() - i);
        if (xi != yi && xi != 1) {
          return false;
        }
      }
      return true;
    }

    List<V> tensors(boolean assignableOnly) {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.ty.isTensor() && (!assignableOnly || v.assignable)) {
          out.add(v);
        }
      }
      return out;
    }

    List<V> assignable(boolean tensor) {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.assignable && v.ty.isTensor() == tensor && !v.name.equals("h")) {
          out.add(v);
        }
      }
      return out;
    }

    List<V> hHolders() {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.assignable && v.ty.equals(H)) {
          out.add(v);
        }
      }
      return out;
    }

    void enter(List<V> scope) {
      vars = new ArrayList<>(scope);
      depth = 0;
      loopDepth = 0;
    }

    double[] mags() {
      double[] m = new double[vars.size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = vars.get(i).mag;
      }
      return m;
    }

    void restore(double[] m) {
      for (int i = 0; i < m.length; i++) {
        vars.get(i).mag = m[i];
      }
    }

    String fresh(String prefix) {
      return prefix + next++;
    }

    <T> T pick(List<T> xs) {
      return xs.isEmpty() ? null : xs.get(r.nextInt(xs.size()));
    }

    String pick(String... xs) {
      return xs[r.nextInt(xs.length)];
    }

    <T> void option(List<Double> w, List<Supplier<T>> opts, double weight, Supplier<T> s) {
      w.add(weight);
      opts.add(s);
    }

    <T> T choose(List<Double> w, List<Supplier<T>> opts) {
      double total = 0;
      for (double x : w) {
        total += x;
      }
      double u = r.nextDouble() * total;
      int i = 0;
      while (i < w.size() - 1 && (u -= w.get(i)) >= 0) {
        i++;
      }
      return opts.get(i).get();
    }
  }

  static String describe(Program p) {
    return String.format(Locale.ROOT, "%s (%s, %d helpers)", p.name(), p.model() ? "model" : "static", p.helpers().size());
  }
}
