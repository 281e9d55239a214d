package dev.adjoint.processor.fuzz;

import static dev.adjoint.processor.fuzz.Ast.cmp;
import static dev.adjoint.processor.fuzz.Ast.dbin;
import static dev.adjoint.processor.fuzz.Ast.dnum;
import static dev.adjoint.processor.fuzz.Ast.dref;
import static dev.adjoint.processor.fuzz.Ast.ibin;
import static dev.adjoint.processor.fuzz.Ast.inum;
import static dev.adjoint.processor.fuzz.Ast.iref;
import static dev.adjoint.processor.fuzz.Ast.math;

import dev.adjoint.processor.fuzz.Ast.Assign;
import dev.adjoint.processor.fuzz.Ast.Bin;
import dev.adjoint.processor.fuzz.Ast.Break;
import dev.adjoint.processor.fuzz.Ast.Call;
import dev.adjoint.processor.fuzz.Ast.Case;
import dev.adjoint.processor.fuzz.Ast.Continue;
import dev.adjoint.processor.fuzz.Ast.Decl;
import dev.adjoint.processor.fuzz.Ast.DoWhile;
import dev.adjoint.processor.fuzz.Ast.Expr;
import dev.adjoint.processor.fuzz.Ast.For;
import dev.adjoint.processor.fuzz.Ast.ForEach;
import dev.adjoint.processor.fuzz.Ast.Idx;
import dev.adjoint.processor.fuzz.Ast.If;
import dev.adjoint.processor.fuzz.Ast.Len;
import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.NewArr;
import dev.adjoint.processor.fuzz.Ast.Param;
import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.Ast.Ref;
import dev.adjoint.processor.fuzz.Ast.Return;
import dev.adjoint.processor.fuzz.Ast.Step;
import dev.adjoint.processor.fuzz.Ast.Stmt;
import dev.adjoint.processor.fuzz.Ast.Switch;
import dev.adjoint.processor.fuzz.Ast.Tern;
import dev.adjoint.processor.fuzz.Ast.Ty;
import dev.adjoint.processor.fuzz.Ast.Un;
import dev.adjoint.processor.fuzz.Ast.While;
import dev.adjoint.processor.fuzz.Bounds.Iv;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Generates random, well-formed static {@code @Differentiable} methods (as {@link Program}s) over a
 * set of {@link Feature}s. Every program is valid Java by construction: locals are initialised where
 * declared, names are unique in a method, a jump ({@code return}, {@code break}, {@code continue})
 * only ends the then-branch of an {@code if} (never a final {@code else}) or a switch group (never
 * the last), so every statement can complete normally and nothing is unreachable; divisions are by values
 * bounded away from 0, indices are reduced modulo the array length (every array has at least 3
 * elements, a {@code double[][]} at least 2 rows), and loops are bounded. Values are kept bounded
 * with {@link Bounds}: expressions that might grow large are squashed with tanh/sin/atan, and a
 * program whose interval analysis exceeds {@link #LIMIT} is thrown away and generated again.
 *
 * <p>Arithmetic ({@code + - *}), double locals and assignments are always available; the features
 * add to them:
 * <ul>
 *   <li>MATH: {@code java.lang.Math} functions on safe domains, division, compound assignment;
 *   <li>BRANCH: if / else if / else, {@code ?:}, switch with fall-through and default;
 *   <li>LOOP: for, nested for, while and do/while with data-dependent trip counts, enhanced for
 *       (with ARRAY); break, continue and early return need BRANCH as well (they sit in an if);
 *   <li>ARRAY: {@code double[]} and {@code double[][]} parameters, local arrays, element writes;
 *   <li>CALL: calls to generated helper methods (straight-line, MATH only); with BRANCH also a
 *       recursive helper with a decreasing int depth.
 * </ul>
 */
final class ProgramGenerator {
  enum Feature {
    MATH, BRANCH, LOOP, ARRAY, CALL;

    /** Parses a comma-separated list such as {@code "MATH,LOOP"} (case-insensitive). */
    static Set<Feature> parse(String csv) {
      EnumSet<Feature> set = EnumSet.noneOf(Feature.class);
      for (String s : csv.split(",")) {
        if (!s.isBlank()) {
          set.add(Feature.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        }
      }
      return set;
    }
  }

  /** The largest magnitude any value of a generated program may reach (interval analysis). */
  static final double LIMIT = 1e4;
  /** Expressions whose interval exceeds this are squashed. */
  private static final double SQUASH = 8;

  private static final String[] LITERALS = {"0.5", "1.5", "2.0", "0.25", "3.0", "0.1", "0.7", "1.0", "1.25"};

  private final Set<Feature> features;

  ProgramGenerator(Set<Feature> features) {
    this.features = EnumSet.copyOf(features.isEmpty() ? EnumSet.of(Feature.MATH) : features);
  }

  Set<Feature> features() {
    return features;
  }

  /** A program whose methods are named {@code name} and {@code name_h0}, {@code name_r1}, .... */
  Program generate(Random rnd, String name) {
    for (int attempt = 0; attempt < 200; attempt++) {
      Program p = new Gen(rnd, name).program();
      if (acceptable(p)) {
        return p;
      }
    }
    throw new IllegalStateException("could not generate a bounded program for " + name);
  }

  /** Whether the interval analysis keeps every value of {@code p} within {@link #LIMIT}. */
  static boolean acceptable(Program p) {
    Bounds b = new Bounds(p.helpers());
    Bounds.State st = b.method(p.main(), Bounds.entry(p.main().params()));
    return st.maxMag <= LIMIT;
  }

  private boolean on(Feature f) {
    return features.contains(f);
  }

  // ------------------------------------------------------------------------------------------ generation

  private enum Kind { D_PARAM, D_LOCAL, D_READONLY, I_PARAM, I_READONLY, A1, A2 }

  /** A variable in scope; {@code lenOf} names an array whose length bounds an int (i < x.length). */
  private record V(String name, Kind kind, String lenOf) {
    boolean isDouble() {
      return kind == Kind.D_PARAM || kind == Kind.D_LOCAL || kind == Kind.D_READONLY;
    }

    boolean assignable() {
      return kind == Kind.D_PARAM || kind == Kind.D_LOCAL;
    }

    boolean isInt() {
      return kind == Kind.I_PARAM || kind == Kind.I_READONLY;
    }
  }

  private final class Gen {
    final Random r;
    final String name;
    final List<Method> helpers = new ArrayList<>();
    final Bounds bounds = new Bounds(List.of());
    final List<V> vars = new ArrayList<>();
    /** Variables read by some generated expression (to make the result depend on every parameter). */
    final java.util.Set<String> used = new java.util.HashSet<>();
    Map<String, Iv> env = new HashMap<>();
    int next;
    int depth;
    int loopDepth;
    int tripProduct = 1;
    boolean inLoop;
    boolean breakable;
    boolean helperMode;
    String recursiveHelper;

    Gen(Random r, String name) {
      this.r = r;
      this.name = name;
    }

    Program program() {
      if (on(Feature.CALL)) {
        int count = 1 + r.nextInt(2);
        for (int j = 0; j < count; j++) {
          Method h = recursiveHelper == null && on(Feature.BRANCH) && r.nextDouble() < 0.45
              ? recursiveHelper(j) : plainHelper(j);
          helpers.add(h);
          bounds.addHelper(h);
        }
      }
      return new Program(name, List.copyOf(helpers), mainMethod());
    }

    // -------------------------------------------------------------------------------- methods

    private void reset(List<Param> params, Map<String, Iv> entry) {
      vars.clear();
      used.clear();
      env = new HashMap<>(entry);
      for (Param p : params) {
        Kind k = switch (p.ty()) {
          case D -> Kind.D_PARAM;
          case I -> Kind.I_PARAM;
          case A1 -> Kind.A1;
          case A2 -> Kind.A2;
          default -> throw new IllegalArgumentException();
        };
        vars.add(new V(p.name(), k, null));
      }
      next = 0;
      depth = 0;
      loopDepth = 0;
      tripProduct = 1;
      inLoop = false;
      breakable = false;
    }

    Method plainHelper(int j) {
      helperMode = true;
      List<Param> params = new ArrayList<>(List.of(new Param(Ty.D, "u")));
      if (r.nextBoolean()) {
        params.add(new Param(Ty.D, "v"));
      }
      Map<String, Iv> entry = new HashMap<>();
      for (Param p : params) {
        entry.put(p.name(), new Iv(-3, 3));
      }
      reset(params, entry);
      List<Stmt> body = new ArrayList<>();
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        body.addAll(statement());
      }
      body.add(new Return(squash(finalExpr())));
      helperMode = false;
      return new Method(name + "_h" + j, params, body);
    }

    /** {@code if (d <= 0) return W(e); double t = W(e); return c * self(mix(u, t), d - 1) + W(e);}. */
    Method recursiveHelper(int j) {
      helperMode = true;
      String self = name + "_r" + j;
      List<Param> params = List.of(new Param(Ty.D, "u"), new Param(Ty.I, "d"));
      Map<String, Iv> entry = new HashMap<>();
      entry.put("u", new Iv(-3, 3));
      entry.put("d", new Iv(0, 6));
      reset(params, entry);
      List<Stmt> body = new ArrayList<>();
      body.add(new If(cmp("<=", iref("d"), inum(0)), List.of(new Return(bounded(exprD(2)))), List.of()));
      String t = fresh("t");
      body.add(new Decl(Ty.D, t, bounded(exprD(2))));
      declare(t, Kind.D_LOCAL, new Iv(-1.6, 1.6));
      Expr arg = r.nextBoolean()
          ? dbin("+", dbin("*", dnum("0.5"), dref("u")), dref(t))
          : dbin("+", math("sin", dref("u")), dbin("*", dnum("0.5"), dref(t)));
      Expr rec = new Call(Ty.D, self, List.of(arg, ibin("-", iref("d"), inum(1))));
      String c = pick("0.5", "0.7", "-0.6", "0.4");
      Expr scaled = c.startsWith("-") ? new Un(Ty.D, "-", dbin("*", dnum(c.substring(1)), rec)) : dbin("*", dnum(c), rec);
      body.add(new Return(dbin(r.nextBoolean() ? "+" : "-", scaled, bounded(exprD(2)))));
      helperMode = false;
      recursiveHelper = self;
      return new Method(self, params, body);
    }

    Method mainMethod() {
      List<Param> params = new ArrayList<>();
      int nd = 1 + r.nextInt(3);
      for (int i = 0; i < nd; i++) {
        params.add(new Param(Ty.D, String.valueOf((char) ('a' + i))));
      }
      boolean control = on(Feature.LOOP) || on(Feature.BRANCH);
      if (r.nextDouble() < (control ? 0.8 : 0.25)) {
        params.add(new Param(Ty.I, "n"));
      }
      if (on(Feature.ARRAY)) {
        if (r.nextDouble() < 0.9) {
          params.add(new Param(Ty.A1, "x"));
        }
        if (r.nextDouble() < 0.3) {
          params.add(new Param(Ty.A1, "y"));
        }
        if (r.nextDouble() < 0.3) {
          params.add(new Param(Ty.A2, "w"));
        }
      }
      Collections.shuffle(params, r);
      reset(params, Bounds.entry(params));
      List<Stmt> body = new ArrayList<>();
      int n = 2 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        body.addAll(statement());
      }
      body.add(new Return(finalExpr()));
      return new Method(name, params, body);
    }

    // -------------------------------------------------------------------------------- statements

    /** One statement (sometimes two: a declaration feeding the loop that follows it). */
    List<Stmt> statement() {
      List<Double> w = new ArrayList<>();
      List<Supplier<List<Stmt>>> opts = new ArrayList<>();
      option(w, opts, 3, () -> List.of(declareDouble()));
      if (!assignableDoubles().isEmpty()) {
        option(w, opts, 3, () -> List.of(assignDouble()));
      }
      if (!helperMode) {
        boolean nestOk = depth < 3;
        if (on(Feature.BRANCH) && nestOk) {
          option(w, opts, 1.5, () -> List.of(ifChain(0)));
          if (!ints().isEmpty()) {
            option(w, opts, 0.6, () -> List.of(switchStmt()));
          }
        }
        if (on(Feature.LOOP) && nestOk && loopDepth < 3 && tripProduct <= 40) {
          option(w, opts, loopDepth == 0 ? 1.6 : 0.6, () -> loopWithRetry(this::forLoop));
          option(w, opts, 0.5, () -> loopWithRetry(this::whileLoop));
          option(w, opts, 0.4, () -> loopWithRetry(this::doWhileLoop));
          if (on(Feature.ARRAY) && !arrays(Kind.A1).isEmpty()) {
            option(w, opts, 0.5, () -> loopWithRetry(this::forEachLoop));
          }
        }
        if (on(Feature.ARRAY)) {
          if (depth < 2 && loopDepth == 0) {
            // not inside loops: the processor rejects arrays created in a loop (ADJ217), by design
            option(w, opts, 0.5, () -> List.of(declareArray()));
          }
          if (!arrays(Kind.A1).isEmpty() || !arrays(Kind.A2).isEmpty()) {
            option(w, opts, 2, () -> List.of(assignElement()));
          }
        }
      }
      double total = 0;
      for (double x : w) {
        total += x;
      }
      double u = r.nextDouble() * total;
      int i = 0;
      while (i < w.size() - 1 && (u -= w.get(i)) >= 0) {
        i++;
      }
      List<Stmt> out = opts.get(i).get();
      for (Stmt s : out) {
        env = bounds.stmt(s, env, new Bounds.State());
      }
      return out;
    }

    private void option(List<Double> w, List<Supplier<List<Stmt>>> opts, double weight, Supplier<List<Stmt>> s) {
      w.add(weight);
      opts.add(s);
    }

    Stmt declareDouble() {
      String t = fresh("t");
      Expr init = squash(exprD(3));
      Stmt s = new Decl(Ty.D, t, init);
      declare(t, Kind.D_LOCAL, null);
      return s;
    }

    Stmt assignDouble() {
      V v = pickVar(assignableDoubles());
      Ref target = dref(v.name());
      if (r.nextDouble() < 0.06) {
        return new Step(v.name(), r.nextBoolean() ? "++" : "--");
      }
      return assignTo(target);
    }

    /** An assignment to a double variable or element; inside loops mostly contracting forms. */
    Stmt assignTo(Expr target) {
      boolean math = on(Feature.MATH);
      double u = r.nextDouble();
      if (loopDepth > 0) {
        if (u < 0.35) {
          String c = pick("0.9", "0.5", "0.75", "0.25");
          return new Assign(target, "=", dbin("+", dbin("*", target, dnum(c)), bounded(exprD(2))));
        } else if (u < 0.6) {
          return new Assign(target, pick("+=", "-="), dbin("*", dnum(pick("0.5", "0.25", "1.0")), bounded(exprD(2))));
        } else if (u < 0.7 && math) {
          return new Assign(target, "*=", dbin("+", dnum("0.9"), dbin("*", dnum("0.1"), math("cos", exprD(2)))));
        } else if (u < 0.8 && math) {
          return new Assign(target, "/=", safeDenominator(2));
        }
        return new Assign(target, "=", squash(exprD(3)));
      }
      if (u < 0.45 || !math) {
        return new Assign(target, u < 0.2 && !math ? "+=" : "=", squash(exprD(3)));
      } else if (u < 0.75) {
        return new Assign(target, pick("+=", "-="), squash(exprD(3)));
      } else if (u < 0.88) {
        Expr f = exprD(2);
        if (mag(f) > 3) {
          f = dbin("+", dnum("1.0"), dbin("*", dnum("0.5"), math("sin", f)));
        }
        return new Assign(target, "*=", f);
      }
      return new Assign(target, "/=", safeDenominator(2));
    }

    Stmt declareArray() {
      String q = fresh("q");
      List<Expr> lens = new ArrayList<>(List.of(inum(3 + r.nextInt(3))));
      for (V v : ints()) {
        if (v.kind() == Kind.I_PARAM) {
          lens.add(ibin("+", iref(v.name()), inum(3)));
        }
      }
      for (V v : arrays(Kind.A1)) {
        lens.add(new Len(new Ref(Ty.A1, v.name())));
      }
      Stmt s = new Decl(Ty.A1, q, new NewArr(lens.get(r.nextInt(lens.size()))));
      vars.add(new V(q, Kind.A1, null));
      return s;
    }

    Stmt assignElement() {
      List<V> arrs = new ArrayList<>(arrays(Kind.A1));
      arrs.addAll(arrays(Kind.A2));
      V a = arrs.get(r.nextInt(arrs.size()));
      return assignTo(element(a));
    }

    /** if / else if / else; a then-branch may end in a jump, a final else never does. */
    Stmt ifChain(int chain) {
      Map<String, Iv> pre = env;
      Expr cond = condition();
      List<Stmt> then = block(1 + r.nextInt(2), true);
      env = pre;
      List<Stmt> els = List.of();
      double u = r.nextDouble();
      if (u < 0.25 && chain < 2) {
        depth++;
        els = List.of(ifChain(chain + 1));
        depth--;
      } else if (u < 0.55) {
        els = block(1 + r.nextInt(2), false);
      }
      env = pre;
      return new If(cond, then, els);
    }

    /** A nested block of {@code count} statements, optionally ending in a jump. */
    List<Stmt> block(int count, boolean mayJump) {
      int mark = vars.size();
      depth++;
      List<Stmt> b = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        b.addAll(statement());
      }
      if (mayJump && on(Feature.BRANCH)) {
        double u = r.nextDouble();
        if (u < 0.15) {
          b.add(new Return(r.nextBoolean() ? finalExpr() : squash(exprD(2))));
        } else if (u < 0.27 && breakable) {
          b.add(new Break());
        } else if (u < 0.39 && inLoop && on(Feature.LOOP)) {
          b.add(new Continue());
        }
      }
      depth--;
      truncate(mark);
      return b;
    }

    Stmt switchStmt() {
      Expr sel = switchSelector();
      List<Integer> labels = new ArrayList<>(List.of(0, 1, 2, 3, 4));
      Collections.shuffle(labels, r);
      int groups = 2 + r.nextInt(3);
      List<List<Integer>> ls = new ArrayList<>();
      int li = 0;
      for (int g = 0; g < groups && li < labels.size(); g++) {
        int k = r.nextDouble() < 0.25 && li + 1 < labels.size() ? 2 : 1;
        List<Integer> l = new ArrayList<>(labels.subList(li, li + k));
        Collections.sort(l);
        ls.add(l);
        li += k;
      }
      if (r.nextDouble() < 0.7) {
        ls.add(r.nextInt(ls.size() + 1), List.of());
      }
      Map<String, Iv> pre = env;
      boolean savedBreakable = breakable;
      breakable = true;
      List<Case> cases = new ArrayList<>();
      for (int g = 0; g < ls.size(); g++) {
        List<Integer> l = ls.get(g);
        // the last group must complete normally, or the statement after the switch is unreachable
        List<Stmt> body = block(1 + r.nextInt(2), g < ls.size() - 1);
        boolean jumps = !body.isEmpty() && isJump(body.get(body.size() - 1));
        // a break after a block that already jumps would be unreachable
        cases.add(new Case(l, body, !jumps && r.nextDouble() < 0.6));
      }
      breakable = savedBreakable;
      env = pre;
      return new Switch(sel, cases);
    }

    private boolean isJump(Stmt s) {
      return s instanceof Return || s instanceof Break || s instanceof Continue;
    }

    /** Runs a loop generator, retrying while the loop's values would grow beyond the limit. */
    List<Stmt> loopWithRetry(Supplier<List<Stmt>> gen) {
      Map<String, Iv> pre = env;
      int mark = vars.size();
      for (int attempt = 0; attempt < 4; attempt++) {
        env = pre;
        truncate(mark);
        List<Stmt> out = gen.get();
        Bounds.State st = new Bounds.State();
        Map<String, Iv> e = pre;
        for (Stmt s : out) {
          e = bounds.stmt(s, e, st);
        }
        if (st.maxMag <= LIMIT / 10) {
          env = pre;
          return out;
        }
      }
      env = pre;
      truncate(mark);
      return List.of(declareDouble());
    }

    /** {@code for (int i = 0; i < bound; i++)}. */
    List<Stmt> forLoop() {
      List<Expr> limits = new ArrayList<>();
      List<String> lenOf = new ArrayList<>();
      List<Integer> trips = new ArrayList<>();
      int lit = 1 + r.nextInt(6);
      limits.add(inum(lit));
      lenOf.add(null);
      trips.add(lit);
      for (V v : ints()) {
        if (v.kind() == Kind.I_PARAM) {
          limits.add(iref(v.name()));
          lenOf.add(null);
          trips.add(5);
          limits.add(new Call(Ty.I, "Math.min", List.of(iref(v.name()), inum(3))));
          lenOf.add(null);
          trips.add(3);
          limits.add(ibin("+", iref(v.name()), inum(1)));
          lenOf.add(null);
          trips.add(6);
        }
      }
      for (V v : arrays(Kind.A1)) {
        limits.add(new Len(new Ref(Ty.A1, v.name())));
        lenOf.add(v.name());
        trips.add(5);
      }
      int k = r.nextInt(limits.size());
      String i = fresh("i");
      return List.of(loopBody(trips.get(k), true, () -> {
        vars.add(new V(i, Kind.I_READONLY, lenOf.get(k)));
        env.put(i, new Iv(0, trips.get(k) - 1));
        return b -> new For(i, limits.get(k), b);
      }));
    }

    /** {@code double s = e; int k = 0; while (s < L && k < max) { k++; ...; s += 0.25 + e*e; ... }}. */
    List<Stmt> whileLoop() {
      return conditionLoop(false);
    }

    List<Stmt> doWhileLoop() {
      return conditionLoop(true);
    }

    private List<Stmt> conditionLoop(boolean doWhile) {
      List<Stmt> out = new ArrayList<>();
      String s = fresh("s");
      Stmt decl = new Decl(Ty.D, s, squash(exprD(2)));
      out.add(decl);
      declare(s, Kind.D_LOCAL, null);
      env = bounds.stmt(decl, env, new Bounds.State());
      String k = fresh("k");
      int max = 3 + r.nextInt(6);
      Expr cond = r.nextDouble() < 0.8
          ? cmp("<", dref(s), dnum(pick("1.5", "3.0", "4.0", "2.0")))
          : cmp("<", math("abs", dref(s)), dnum(pick("2.5", "3.0")));
      out.add(loopBody(max, false, () -> {
        vars.add(new V(k, Kind.I_READONLY, null));
        env.put(k, new Iv(0, max));
        return b -> {
          List<Stmt> body = new ArrayList<>(b);
          Expr e = bounded(exprD(2));
          Stmt inc = new Assign(dref(s), "+=", dbin("+", dnum(pick("0.25", "0.5")), dbin("*", e, e)));
          body.add(r.nextInt(body.size() + 1), inc);
          return doWhile ? new DoWhile(k, max, body, cond) : new While(k, max, cond, body);
        };
      }));
      vars.add(new V(k, Kind.I_READONLY, null));
      return out;
    }

    List<Stmt> forEachLoop() {
      List<V> arrs = arrays(Kind.A1);
      V a = arrs.get(r.nextInt(arrs.size()));
      String v = fresh("v");
      return List.of(loopBody(5, true, () -> {
        vars.add(new V(v, Kind.D_READONLY, null));
        env.put(v, env.getOrDefault(a.name(), Bounds.INPUT));
        return b -> new ForEach(v, new Ref(Ty.A1, a.name()), b);
      }));
    }

    /** Generates a loop body in a loop context; {@code setup} declares the loop's variables. */
    private Stmt loopBody(int trips, boolean mayJump, Supplier<java.util.function.Function<List<Stmt>, Stmt>> setup) {
      int mark = vars.size();
      boolean savedInLoop = inLoop;
      boolean savedBreakable = breakable;
      int savedTrips = tripProduct;
      Map<String, Iv> pre = env;
      env = new HashMap<>(env);
      var make = setup.get();
      inLoop = true;
      breakable = true;
      loopDepth++;
      tripProduct *= Math.max(1, trips);
      depth++;
      List<Stmt> body = new ArrayList<>();
      int count = 1 + r.nextInt(3);
      for (int i = 0; i < count; i++) {
        body.addAll(statement());
      }
      depth--;
      loopDepth--;
      tripProduct = savedTrips;
      inLoop = savedInLoop;
      breakable = savedBreakable;
      truncate(mark);
      env = pre;
      return make.apply(body);
    }

    // -------------------------------------------------------------------------------- expressions

    /** A double-valued expression of at most {@code d} levels. */
    Expr exprD(int d) {
      if (d <= 0 || r.nextDouble() < 0.25) {
        return leaf();
      }
      boolean math = on(Feature.MATH);
      double u = r.nextDouble();
      Expr e;
      if (u < 0.12) {
        e = leaf();
      } else if (u < 0.18) {
        e = new Un(Ty.D, "-", exprD(d - 1));
      } else if (u < 0.36) {
        e = dbin(r.nextBoolean() ? "+" : "-", exprD(d - 1), exprD(d - 1));
      } else if (u < 0.5) {
        e = dbin("*", exprD(d - 1), exprD(d - 1));
      } else if (u < 0.58 && math) {
        e = dbin("/", exprD(d - 1), safeDenominator(d - 1));
      } else if (u < 0.62 && math && r.nextDouble() < 0.3) {
        e = dbin("%", exprD(d - 1), dnum(pick("1.5", "2.0", "0.75")));
      } else if (u < 0.85 && math) {
        e = mathCall(d - 1);
      } else if (u < 0.91 && on(Feature.BRANCH) && !helperMode) {
        e = new Tern(Ty.D, condition(), exprD(d - 1), exprD(d - 1));
      } else if (on(Feature.CALL) && !helpers.isEmpty()) {
        e = helperCall(d - 1);
      } else {
        e = dbin(r.nextBoolean() ? "+" : "*", exprD(d - 1), leaf());
      }
      return mag(e) > LIMIT / 100 ? squash(e) : e;
    }

    /** A variable (most often), an array element, an int scaled to double, or a literal. */
    Expr leaf() {
      List<V> ds = doubles();
      List<V> arrs = new ArrayList<>();
      if (on(Feature.ARRAY) && !helperMode) {
        arrs.addAll(arrays(Kind.A1));
        arrs.addAll(arrays(Kind.A2));
      }
      List<V> is = ints();
      double wVar = ds.isEmpty() ? 0 : 0.55;
      double wElem = arrs.isEmpty() ? 0 : 0.25;
      double wInt = is.isEmpty() ? 0 : 0.07;
      double wLen = arrays(Kind.A1).isEmpty() || helperMode ? 0 : 0.02;
      double wLit = 0.15;
      double u = r.nextDouble() * (wVar + wElem + wInt + wLen + wLit);
      if ((u -= wVar) < 0) {
        String v = pickVar(ds).name();
        used.add(v);
        return dref(v);
      } else if ((u -= wElem) < 0) {
        return element(arrs.get(r.nextInt(arrs.size())));
      } else if ((u -= wInt) < 0) {
        return dbin("*", dnum(pick("0.25", "0.5", "0.1")), iref(is.get(r.nextInt(is.size())).name()));
      } else if ((u -= wLen) < 0) {
        return dbin("*", dnum("0.1"), new Len(new Ref(Ty.A1, arrays(Kind.A1).get(0).name())));
      }
      return dnum(LITERALS[r.nextInt(LITERALS.length)]);
    }

    /** {@code java.lang.Math} functions on safe domains. */
    Expr mathCall(int d) {
      Expr e = exprD(d);
      switch (r.nextInt(24)) {
        case 0: return math("sin", e);
        case 1: return math("cos", e);
        case 2: return math("tanh", e);
        case 3: return math("atan", e);
        case 4: return math("exp", mag(e) <= 3 ? e : math(pick("sin", "tanh", "cos"), e));
        case 5: return math("log", r.nextBoolean() ? dbin("+", dnum("1.0"), dbin("*", e, e))
            : dbin("+", dnum("2.0"), math("sin", e)));
        case 6: return math("sqrt", r.nextBoolean() ? dbin("+", dnum("1.0"), dbin("*", e, e))
            : dbin("+", dnum("2.0"), math("cos", e)));
        case 7: return math("pow", e, dnum(pick("2", "3", "2.0")));
        case 8: return math("pow", dbin("+", dnum("1.5"), math("sin", e)), bounded3(exprD(d)));
        case 9: return math("hypot", e, exprD(d));
        case 10: return math("atan2", e, exprD(d));
        case 11: return math("abs", e);
        case 12: return math(r.nextBoolean() ? "max" : "min", e, exprD(d));
        case 13: return math("expm1", mag(e) <= 3 ? e : math("tanh", e));
        case 14: return math(r.nextBoolean() ? "sinh" : "cosh", mag(e) <= 3 ? e : math("tanh", e));
        case 15: return math("log1p", dbin("*", e, e));
        case 16: return math("cbrt", e);
        case 17: return math("asin", dbin("*", dnum("0.9"), math("sin", e)));
        case 18: return math("acos", dbin("*", dnum("0.5"), math("tanh", e)));
        case 19: return math("tan", dbin("*", dnum("0.7"), math("sin", e)));
        case 20: return math("log10", dbin("+", dnum("1.0"), dbin("*", e, e)));
        case 21: return math("pow", dbin("+", dnum("1.0"), dbin("*", e, e)), dnum(pick("0.5", "1.5", "-0.5")));
        case 22: return r.nextDouble() < 0.3 ? dbin("*", dnum("0.1"), math("floor", e)) : math("sin", e);
        default: return r.nextDouble() < 0.5 ? math("fma", e, exprD(d), leaf()) : math("cos", e);
      }
    }

    /** A denominator bounded away from 0. */
    Expr safeDenominator(int d) {
      if (!on(Feature.MATH)) {
        return dnum("2.0");
      }
      Expr e = exprD(Math.max(0, d));
      switch (r.nextInt(6)) {
        case 0: return dbin("+", dnum("1.0"), dbin("*", e, e));
        case 1: return dbin("+", dnum("2.0"), math("sin", e));
        case 2: return dbin("+", dnum("1.5"), math("cos", e));
        case 3: return dbin("+", dnum("1.0"), math("exp", mag(e) <= 3 ? e : math("tanh", e)));
        case 4: return math("sqrt", dbin("+", dnum("1.0"), dbin("*", e, e)));
        default: return dnum(pick("2.0", "4.0", "1.5"));
      }
    }

    Expr helperCall(int d) {
      Method h = helpers.get(r.nextInt(helpers.size()));
      List<Expr> args = new ArrayList<>();
      for (Param p : h.params()) {
        if (p.ty() == Ty.D) {
          args.add(exprD(d));
        } else {
          List<Expr> depths = new ArrayList<>(List.of(inum(r.nextInt(5))));
          for (V v : ints()) {
            depths.add(iref(v.name()));
          }
          args.add(depths.get(r.nextInt(depths.size())));
        }
      }
      return new Call(Ty.D, h.name(), args);
    }

    Expr condition() {
      double u = r.nextDouble();
      Expr c;
      List<V> is = ints();
      if (u < 0.2 && !is.isEmpty()) {
        V i = is.get(r.nextInt(is.size()));
        switch (r.nextInt(3)) {
          case 0 -> c = cmp(pick(">", "<", ">=", "<="), iref(i.name()), inum(r.nextInt(4)));
          case 1 -> c = cmp("==", ibin("%", iref(i.name()), inum(2)), inum(r.nextInt(2)));
          default -> {
            V j = is.get(r.nextInt(is.size()));
            c = cmp(pick("<", ">=", "!="), iref(i.name()), iref(j.name()));
          }
        }
      } else if (u < 0.4 && on(Feature.MATH) && !doubles().isEmpty()) {
        c = cmp(pick(">", "<"), math(pick("sin", "cos"), dref(pickVar(doubles()).name())), dnum(pick("0.3", "-0.2", "0.5")));
      } else if (u < 0.6) {
        c = cmp(pick(">", "<", ">=", "<="), exprD(1), dnum(pick("0.5", "1.0", "0.1", "-0.3")));
      } else {
        c = cmp(pick(">", "<", ">=", "<="), exprD(2), exprD(2));
      }
      double v = r.nextDouble();
      if (v < 0.12) {
        return new Bin(Ty.B, "&&", c, condition());
      } else if (v < 0.22) {
        return new Bin(Ty.B, "||", c, condition());
      } else if (v < 0.27) {
        return new Un(Ty.B, "!", c);
      }
      return c;
    }

    /** The method's result: a combination of recently assigned locals and a fresh expression. */
    Expr finalExpr() {
      List<V> ds = doubles();
      List<Expr> terms = new ArrayList<>();
      for (int i = ds.size() - 1; i >= 0 && terms.size() < 3; i--) {
        if (ds.get(i).kind() != Kind.D_PARAM || r.nextDouble() < 0.4) {
          used.add(ds.get(i).name());
          terms.add(dref(ds.get(i).name()));
        }
      }
      terms.add(exprD(2));
      for (V v : vars) {
        if (!used.contains(v.name())) {
          if (v.kind() == Kind.D_PARAM) {
            terms.add(on(Feature.MATH) && r.nextBoolean() ? math(pick("sin", "cos", "tanh"), dref(v.name())) : dref(v.name()));
          } else if (v.kind() == Kind.A1 || v.kind() == Kind.A2) {
            terms.add(element(v));
          }
        }
      }
      Expr e = terms.get(0);
      for (int i = 1; i < terms.size(); i++) {
        Expr t = terms.get(i);
        double u = r.nextDouble();
        e = u < 0.5 ? dbin("+", e, t) : u < 0.7 ? dbin("-", e, t) : dbin("*", e, squash(t));
      }
      return mag(e) > LIMIT / 10 ? squash(e) : e;
    }

    /** An element read/write target {@code a[...]} (or {@code w[...][...]}) with an in-bounds index. */
    Expr element(V a) {
      used.add(a.name());
      Ref ar = new Ref(a.kind() == Kind.A1 ? Ty.A1 : Ty.A2, a.name());
      if (a.kind() == Kind.A1) {
        return new Idx(Ty.D, ar, index(ar, a.name(), 3));
      }
      Expr row = new Idx(Ty.A1, ar, index(ar, null, 2));
      Expr rowForLen = new Idx(Ty.A1, ar, inum(0));
      return new Idx(Ty.D, row, index(rowForLen, null, 3));
    }

    /** An index into {@code arr} (whose length is at least {@code minLen}). */
    Expr index(Expr arr, String arrName, int minLen) {
      Len len = new Len(arr);
      List<Expr> opts = new ArrayList<>();
      opts.add(inum(r.nextInt(minLen)));
      opts.add(ibin("-", len, inum(1)));
      List<V> is = ints();
      if (!is.isEmpty()) {
        opts.add(ibin("%", intExpr(), len));
        opts.add(ibin("%", intExpr(), len));
        if (arrName != null) {
          for (V v : is) {
            if (arrName.equals(v.lenOf())) {
              opts.add(ibin("-", ibin("-", len, inum(1)), iref(v.name())));
              opts.add(iref(v.name()));
            }
          }
        }
      }
      return opts.get(r.nextInt(opts.size()));
    }

    /** A non-negative int expression over the ints in scope. */
    Expr intExpr() {
      List<V> is = ints();
      Expr a = iref(is.get(r.nextInt(is.size())).name());
      switch (r.nextInt(5)) {
        case 0: return a;
        case 1: return ibin("+", a, inum(1 + r.nextInt(3)));
        case 2: return ibin("*", inum(2), a);
        case 3: return ibin("+", a, iref(is.get(r.nextInt(is.size())).name()));
        default: return ibin("+", ibin("*", a, iref(is.get(r.nextInt(is.size())).name())), inum(1));
      }
    }

    Expr switchSelector() {
      List<V> is = ints();
      Expr a = iref(is.get(r.nextInt(is.size())).name());
      return switch (r.nextInt(3)) {
        case 0 -> a;
        case 1 -> ibin("%", a, inum(3 + r.nextInt(2)));
        default -> ibin("%", ibin("+", a, iref(is.get(r.nextInt(is.size())).name())), inum(4));
      };
    }

    // -------------------------------------------------------------------------------- helpers

    /** {@code e} squashed into [-pi/2, pi/2] when its interval is large. */
    Expr squash(Expr e) {
      return mag(e) > SQUASH ? bounded(e) : e;
    }

    /** {@code e} squashed unconditionally. */
    Expr bounded(Expr e) {
      return math(pick("tanh", "sin", "atan", "tanh"), e);
    }

    Expr bounded3(Expr e) {
      return mag(e) <= 3 ? e : math("tanh", e);
    }

    double mag(Expr e) {
      return bounds.expr(e, env, new Bounds.State()).mag();
    }

    String fresh(String prefix) {
      return prefix + next++;
    }

    void declare(String n, Kind k, Iv iv) {
      vars.add(new V(n, k, null));
      if (iv != null) {
        env.put(n, iv);
      }
    }

    void truncate(int mark) {
      while (vars.size() > mark) {
        vars.remove(vars.size() - 1);
      }
    }

    List<V> doubles() {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.isDouble()) {
          out.add(v);
        }
      }
      return out;
    }

    List<V> assignableDoubles() {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.assignable()) {
          out.add(v);
        }
      }
      return out;
    }

    List<V> ints() {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.isInt()) {
          out.add(v);
        }
      }
      return out;
    }

    List<V> arrays(Kind k) {
      List<V> out = new ArrayList<>();
      for (V v : vars) {
        if (v.kind() == k) {
          out.add(v);
        }
      }
      return out;
    }

    /** A variable, biased towards the most recently declared. */
    V pickVar(List<V> vs) {
      if (vs.size() > 1 && r.nextDouble() < 0.5) {
        return vs.get(vs.size() - 1 - r.nextInt(Math.min(2, vs.size())));
      }
      return vs.get(r.nextInt(vs.size()));
    }

    String pick(String... options) {
      return options[r.nextInt(options.length)];
    }
  }
}
