package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Ast.Assign;
import dev.adjoint.processor.fuzz.Ast.Bin;
import dev.adjoint.processor.fuzz.Ast.Call;
import dev.adjoint.processor.fuzz.Ast.Case;
import dev.adjoint.processor.fuzz.Ast.Decl;
import dev.adjoint.processor.fuzz.Ast.DoWhile;
import dev.adjoint.processor.fuzz.Ast.Expr;
import dev.adjoint.processor.fuzz.Ast.For;
import dev.adjoint.processor.fuzz.Ast.Guard;
import dev.adjoint.processor.fuzz.Ast.Labeled;
import dev.adjoint.processor.fuzz.Ast.ForEach;
import dev.adjoint.processor.fuzz.Ast.Idx;
import dev.adjoint.processor.fuzz.Ast.If;
import dev.adjoint.processor.fuzz.Ast.Len;
import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.Copy;
import dev.adjoint.processor.fuzz.Ast.NewArr;
import dev.adjoint.processor.fuzz.Ast.Num;
import dev.adjoint.processor.fuzz.Ast.Param;
import dev.adjoint.processor.fuzz.Ast.Ref;
import dev.adjoint.processor.fuzz.Ast.Return;
import dev.adjoint.processor.fuzz.Ast.Step;
import dev.adjoint.processor.fuzz.Ast.Stmt;
import dev.adjoint.processor.fuzz.Ast.Switch;
import dev.adjoint.processor.fuzz.Ast.Tern;
import dev.adjoint.processor.fuzz.Ast.Un;
import dev.adjoint.processor.fuzz.Ast.While;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conservative interval analysis of fuzz programs: every value a program can compute, for
 * parameters in [-2, 2] (plus finite-difference steps), int parameters in [0, 5] and arrays of
 * length 3 to 5. An operation that could leave its domain (log of a possibly non-positive value,
 * division by a value that may be 0, ...) yields [-inf, inf]. The generator rejects programs whose
 * {@link State#maxMag} is too large, which keeps values and derivatives away from overflow.
 *
 * <p>Arrays are summarised by one interval for all their elements; {@code len:x} holds
 * {@code x.length} and {@code len2:w} the row length of a {@code double[][]}.
 */
final class Bounds {
  /** Inputs are drawn from [-2, 2]; the margin covers finite-difference steps. */
  static final Iv INPUT = new Iv(-2.01, 2.01);
  static final Iv INT_PARAM = new Iv(0, 5);
  static final Iv ARRAY_LENGTH = new Iv(3, 5);
  static final Iv ROWS = new Iv(2, 4);

  /** A closed interval; infinite bounds mean "anything, possibly NaN". */
  record Iv(double lo, double hi) {
    static final Iv TOP = new Iv(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    Iv {
      if (Double.isNaN(lo) || Double.isNaN(hi)) {
        lo = Double.NEGATIVE_INFINITY;
        hi = Double.POSITIVE_INFINITY;
      }
    }

    static Iv point(double v) {
      return new Iv(v, v);
    }

    double mag() {
      return Math.max(Math.abs(lo), Math.abs(hi));
    }

    boolean contains(double v) {
      return lo <= v && v <= hi;
    }

    Iv hull(Iv o) {
      return o == null ? this : new Iv(Math.min(lo, o.lo), Math.max(hi, o.hi));
    }

    boolean within(Iv o) {
      return o.lo <= lo && hi <= o.hi;
    }
  }

  /** What an analysis saw: the largest magnitude of any value, and the hull of returned values. */
  static final class State {
    double maxMag;
    Iv ret;

    void see(Iv v) {
      maxMag = Math.max(maxMag, v.mag());
    }
  }

  private final Map<String, Method> helpers = new HashMap<>();
  /** Assumed results of helpers whose analysis is in progress (recursion). */
  private final Map<String, Iv> assumed = new HashMap<>();
  /** Results of helper calls already analysed, by name and argument intervals. */
  private final Map<String, Iv> memo = new HashMap<>();

  Bounds(List<Method> helperMethods) {
    for (Method m : helperMethods) {
      helpers.put(m.name(), m);
    }
  }

  void addHelper(Method m) {
    helpers.put(m.name(), m);
  }

  /** The environment of a method's parameters on entry. */
  static Map<String, Iv> entry(List<Param> params) {
    Map<String, Iv> env = new HashMap<>();
    for (Param p : params) {
      switch (p.ty()) {
        case D -> env.put(p.name(), INPUT);
        case I -> env.put(p.name(), INT_PARAM);
        case A1 -> {
          env.put(p.name(), INPUT);
          env.put("len:" + p.name(), ARRAY_LENGTH);
        }
        case F1 -> {
          env.put(p.name(), INPUT);
          env.put("len:" + p.name(), ARRAY_LENGTH);
        }
        case A2 -> {
          env.put(p.name(), INPUT);
          env.put("len:" + p.name(), ROWS);
          env.put("len2:" + p.name(), ARRAY_LENGTH);
        }
        default -> throw new IllegalArgumentException(p.toString());
      }
    }
    return env;
  }

  /** Analyses a method body from its entry environment. */
  State method(Method m, Map<String, Iv> env) {
    State st = new State();
    block(m.body(), new HashMap<>(env), st);
    if (st.ret == null) {
      st.ret = Iv.TOP;
    }
    st.see(st.ret);
    return st;
  }

  // ------------------------------------------------------------------------------------------ statements

  Map<String, Iv> block(List<Stmt> b, Map<String, Iv> env, State st) {
    for (Stmt s : b) {
      env = stmt(s, env, st);
    }
    return env;
  }

  /** The environment after {@code s}; {@code env} is not modified. */
  Map<String, Iv> stmt(Stmt s, Map<String, Iv> env0, State st) {
    Map<String, Iv> env = new HashMap<>(env0);
    if (s instanceof Decl d) {
      if (d.init() instanceof NewArr na) {
        env.put(d.name(), Iv.point(0));
        env.put("len:" + d.name(), expr(na.len(), env, st));
      } else if (d.init() instanceof Copy c) {
        // a snapshot: the copy's elements lie where the original's do now, and it has their count
        env.put(d.name(), expr(c.arr() instanceof Idx row ? row.arr() : c.arr(), env, st));
        if (c.arr() instanceof Idx row) {
          expr(row.index(), env, st);
        }
        env.put("len:" + d.name(), expr(new Ast.Len(c.arr()), env, st));
      } else {
        Iv v = expr(d.init(), env, st);
        st.see(v);
        env.put(d.name(), v);
        if (d.ty() == Ast.Ty.A1 && d.init() instanceof Idx row && row.arr() instanceof Ref m) {
          env.put("len:" + d.name(), env.getOrDefault("len2:" + m.name(), Iv.TOP)); // a row view
        }
      }
    } else if (s instanceof Assign a) {
      Iv rhs = expr(a.value(), env, st);
      String var;
      boolean element;
      if (a.target() instanceof Ref r) {
        var = r.name();
        element = false;
      } else {
        Expr arr = ((Idx) a.target()).arr();
        while (arr instanceof Idx inner) {
          arr = inner.arr();
        }
        var = ((Ref) arr).name();
        element = true;
        expr(((Idx) a.target()).index(), env, st);
      }
      Iv old = env.getOrDefault(var, Iv.TOP);
      Iv v = switch (a.op()) {
        case "=" -> rhs;
        case "+=" -> add(old, rhs);
        case "-=" -> sub(old, rhs);
        case "*=" -> mul(old, rhs);
        case "/=" -> div(old, rhs);
        default -> Iv.TOP;
      };
      st.see(v);
      env.put(var, element ? old.hull(v) : v);
    } else if (s instanceof Step p) {
      Iv old = env.getOrDefault(p.name(), Iv.TOP);
      Iv v = p.op().equals("++") ? add(old, Iv.point(1)) : sub(old, Iv.point(1));
      st.see(v);
      env.put(p.name(), v);
    } else if (s instanceof If i) {
      expr(i.cond(), env, st);
      Map<String, Iv> t = block(i.then(), env, st);
      Map<String, Iv> e = block(i.els(), env, st);
      env = join(t, e);
    } else if (s instanceof Labeled l) {
      env = stmt(l.loop(), env, st);
    } else if (s instanceof Guard g) {
      expr(g.value(), env, st);
    } else if (s instanceof For f) {
      Iv bound = expr(f.bound(), env, st);
      int trips = trips(bound.hi());
      env.put(f.var(), new Iv(0, Math.max(0, trips - 1)));
      env = loop(f.body(), env, st, trips);
    } else if (s instanceof ForEach f) {
      String arr = ((Ref) f.arr()).name();
      int trips = trips(env.getOrDefault("len:" + arr, Iv.TOP).hi());
      Map<String, Iv> cur = env;
      for (int t = 0; t < trips; t++) {
        Map<String, Iv> in = new HashMap<>(cur);
        in.put(f.var(), cur.getOrDefault(arr, Iv.TOP));
        Map<String, Iv> next = join(cur, block(f.body(), in, st));
        if (next.equals(cur)) {
          break;
        }
        cur = next;
      }
      env = cur;
    } else if (s instanceof While w) {
      env.put(w.counter(), new Iv(0, w.max()));
      expr(w.cond(), env, st);
      env = loop(w.body(), env, st, w.max());
    } else if (s instanceof DoWhile d) {
      env.put(d.counter(), new Iv(0, d.max()));
      env = loop(d.body(), env, st, d.max());
      expr(d.cond(), env, st);
    } else if (s instanceof Switch sw) {
      expr(sw.selector(), env, st);
      Map<String, Iv> out = env;
      for (Case c : sw.cases()) {
        out = join(out, block(c.body(), out, st));
      }
      env = out;
    } else if (s instanceof Return r) {
      Iv v = expr(r.value(), env, st);
      st.see(v);
      st.ret = v.hull(st.ret);
    }
    return env;
  }

  private static int trips(double hi) {
    if (!(hi < 1e6)) {
      return 64;
    }
    return (int) Math.max(0, Math.min(64, Math.ceil(hi)));
  }

  /** Body applied up to {@code trips} times, joined with the state before each iteration. */
  private Map<String, Iv> loop(List<Stmt> body, Map<String, Iv> env, State st, int trips) {
    Map<String, Iv> cur = env;
    for (int t = 0; t < trips; t++) {
      Map<String, Iv> next = join(cur, block(body, cur, st));
      if (next.equals(cur)) {
        break;
      }
      cur = next;
      if (st.maxMag > 1e300) {
        break;
      }
    }
    return cur;
  }

  private static Map<String, Iv> join(Map<String, Iv> a, Map<String, Iv> b) {
    Map<String, Iv> out = new HashMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Iv::hull));
    return out;
  }

  // ------------------------------------------------------------------------------------------ expressions

  /** The interval of {@code e}; every sub-expression's magnitude is reported to {@code st}. */
  Iv expr(Expr e, Map<String, Iv> env, State st) {
    Iv v = expr0(e, env, st);
    st.see(v);
    return v;
  }

  private Iv expr0(Expr e, Map<String, Iv> env, State st) {
    if (e instanceof Num n) {
      return Iv.point(Double.parseDouble(n.text()));
    } else if (e instanceof Ref r) {
      return env.getOrDefault(r.name(), Iv.TOP);
    } else if (e instanceof Un u) {
      Iv a = expr(u.e(), env, st);
      return u.op().equals("-") ? new Iv(-a.hi(), -a.lo()) : new Iv(0, 1);
    } else if (e instanceof Bin b) {
      Iv l = expr(b.l(), env, st);
      Iv r = expr(b.r(), env, st);
      switch (b.op()) {
        case "+":
          return add(l, r);
        case "-":
          return sub(l, r);
        case "*":
          return b.l().equals(b.r()) ? square(l) : mul(l, r);
        case "/":
          return div(l, r);
        case "%":
          if (r.contains(0)) {
            return Iv.TOP;
          }
          double m = Math.min(l.mag(), r.mag());
          return l.lo() >= 0 ? new Iv(0, m) : new Iv(-m, m);
        default:
          return new Iv(0, 1); // comparisons and logical operators
      }
    } else if (e instanceof Call c) {
      return call(c, env, st);
    } else if (e instanceof Idx i) {
      expr(i.index(), env, st);
      Expr arr = i.arr();
      while (arr instanceof Idx inner) {
        arr = inner.arr();
      }
      return env.getOrDefault(((Ref) arr).name(), Iv.TOP);
    } else if (e instanceof Len l) {
      if (l.arr() instanceof Ref r) {
        return env.getOrDefault("len:" + r.name(), Iv.TOP);
      }
      Expr arr = ((Idx) l.arr()).arr();
      return env.getOrDefault("len2:" + ((Ref) arr).name(), Iv.TOP);
    } else if (e instanceof Tern t) {
      expr(t.cond(), env, st);
      return expr(t.then(), env, st).hull(expr(t.els(), env, st));
    }
    return Iv.TOP;
  }

  private Iv call(Call c, Map<String, Iv> env, State st) {
    Iv[] a = new Iv[c.args().size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = expr(c.args().get(i), env, st);
    }
    if (c.fn().startsWith("Double.")) {
      return new Iv(-1, 1); // compare: -1, 0 or 1; isNaN, isFinite: a boolean
    }
    if (c.fn().equals("valueDd")) {
      return add(mul(a[0], a[1]), a[0]); // a * b + a, and round-offs far below
    }
    if (c.fn().equals("valueSum")) {
      return add(add(a[0], a[1]), mul(a[1], a[2])); // a + b + b * c
    }
    if (c.fn().equals("valueLse")) {
      return new Iv(a[0].lo(), a[0].hi() + Math.log(8)); // max + log(sum exp(v - max)), at most 8 elements
    }
    if (c.fn().equals("valueSettings")) {
      Iv ab = mul(a[0], a[1]);
      return add(new Iv(-2, 2), mul(ab, ab)); // two sines, and (a * b)^2
    }
    if (!c.fn().startsWith("Math.")) {
      return helperCall(c.fn(), a, st);
    }
    String fn = c.fn().substring(5);
    Iv x = a.length > 0 ? a[0] : Iv.TOP;
    switch (fn) {
      case "sin":
      case "cos": {
        double m = fn.equals("sin") ? Math.min(1, x.mag()) : 1;
        return new Iv(-m, m);
      }
      case "tanh":
        return mono(Math::tanh, x);
      case "atan":
        return mono(Math::atan, x);
      case "exp":
        return mono(Math::exp, x);
      case "expm1":
        return mono(Math::expm1, x);
      case "sinh":
        return mono(Math::sinh, x);
      case "cbrt":
        return mono(Math::cbrt, x);
      case "floor":
        return mono(Math::floor, x);
      case "nextUp":
        return mono(Math::nextUp, x);
      case "nextDown":
        return mono(Math::nextDown, x);
      case "signum":
        return new Iv(-1, 1);
      case "getExponent":
        return new Iv(-1075, 1024);
      case "cosh":
        return new Iv(1, Math.cosh(x.mag()));
      case "log":
        return x.lo() > 0 ? mono(Math::log, x) : Iv.TOP;
      case "log10":
        return x.lo() > 0 ? mono(Math::log10, x) : Iv.TOP;
      case "log1p":
        return x.lo() > -1 ? mono(Math::log1p, x) : Iv.TOP;
      case "sqrt":
        return x.lo() >= 0 ? mono(Math::sqrt, x) : Iv.TOP;
      case "asin":
        return x.within(new Iv(-1, 1)) ? mono(Math::asin, x) : Iv.TOP;
      case "acos":
        return x.within(new Iv(-1, 1)) ? new Iv(Math.acos(x.hi()), Math.acos(x.lo())) : Iv.TOP;
      case "tan":
        return x.within(new Iv(-1.5, 1.5)) ? mono(Math::tan, x) : Iv.TOP;
      case "abs":
        return new Iv(x.contains(0) ? 0 : Math.min(Math.abs(x.lo()), Math.abs(x.hi())), x.mag());
      case "atan2":
        return new Iv(-Math.PI, Math.PI);
      case "hypot":
        return new Iv(0, Math.hypot(a[0].mag(), a[1].mag()));
      case "copySign":
        return new Iv(-a[0].mag(), a[0].mag());
      case "max":
        return new Iv(Math.max(a[0].lo(), a[1].lo()), Math.max(a[0].hi(), a[1].hi()));
      case "min":
        return new Iv(Math.min(a[0].lo(), a[1].lo()), Math.min(a[0].hi(), a[1].hi()));
      case "fma":
        return add(mul(a[0], a[1]), a[2]);
      case "pow":
        return pow(a[0], a[1], c.args().get(1));
      default:
        return Iv.TOP;
    }
  }

  private Iv helperCall(String fn, Iv[] args, State st) {
    if (assumed.containsKey(fn)) {
      return assumed.get(fn);
    }
    Method m = helpers.get(fn);
    if (m == null) {
      return Iv.TOP;
    }
    StringBuilder key = new StringBuilder(fn);
    Map<String, Iv> env = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      Iv a = args[i];
      if (m.params().get(i).ty() == Ast.Ty.I) {
        a = new Iv(0, Math.max(0, a.hi()));
      }
      env.put(m.params().get(i).name(), a);
      key.append(' ').append(a.lo()).append(',').append(a.hi());
    }
    Iv known = memo.get(key.toString());
    if (known != null) {
      return known;
    }
    // Fixed point for recursive helpers: start from 0 and iterate (exact for recursion depth <= 10).
    Iv r = Iv.point(0);
    for (int k = 0; k < 12; k++) {
      assumed.put(fn, r);
      State inner = method(m, env);
      st.maxMag = Math.max(st.maxMag, inner.maxMag);
      Iv next = r.hull(inner.ret);
      if (next.equals(r) || !(next.mag() < 1e300)) {
        r = next;
        break;
      }
      r = next;
    }
    assumed.remove(fn);
    memo.put(key.toString(), r);
    return r;
  }

  private static Iv pow(Iv b, Iv e, Expr exponent) {
    if (exponent instanceof Num n) {
      double k = Double.parseDouble(n.text());
      if (k == 2) {
        return square(b);
      }
      if (k == Math.rint(k) && k > 0) {
        double m = Math.pow(b.mag(), k);
        return ((long) k) % 2 == 1 ? new Iv(Math.pow(b.lo(), k), Math.pow(b.hi(), k)) : new Iv(0, m);
      }
    }
    if (b.lo() <= 0) {
      return Iv.TOP;
    }
    double[] c = {Math.pow(b.lo(), e.lo()), Math.pow(b.lo(), e.hi()), Math.pow(b.hi(), e.lo()), Math.pow(b.hi(), e.hi())};
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : c) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new Iv(lo, hi);
  }

  private static Iv mono(java.util.function.DoubleUnaryOperator f, Iv x) {
    return new Iv(f.applyAsDouble(x.lo()), f.applyAsDouble(x.hi()));
  }

  static Iv add(Iv a, Iv b) {
    return new Iv(a.lo() + b.lo(), a.hi() + b.hi());
  }

  static Iv sub(Iv a, Iv b) {
    return new Iv(a.lo() - b.hi(), a.hi() - b.lo());
  }

  static Iv mul(Iv a, Iv b) {
    double[] c = {a.lo() * b.lo(), a.lo() * b.hi(), a.hi() * b.lo(), a.hi() * b.hi()};
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : c) {
      if (Double.isNaN(v)) {
        return Iv.TOP; // 0 * inf
      }
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new Iv(lo, hi);
  }

  static Iv square(Iv a) {
    double m = a.mag();
    double lo = a.contains(0) ? 0 : Math.min(a.lo() * a.lo(), a.hi() * a.hi());
    return new Iv(lo, m * m);
  }

  static Iv div(Iv a, Iv b) {
    if (b.contains(0)) {
      return Iv.TOP;
    }
    return mul(a, new Iv(1 / b.hi(), 1 / b.lo()));
  }
}
