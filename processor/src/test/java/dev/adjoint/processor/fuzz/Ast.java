package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.analysis.Checkpointing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fuzzer's program model: a tiny Java AST that prints as source text, is analysed for value
 * bounds by {@link Bounds} and is mutated by {@link Shrinker}. Nodes are immutable.
 *
 * <p>Loops that could run forever if a statement were deleted carry their guard inside the node:
 * {@link While} and {@link DoWhile} print their own counter declaration, increment and limit, and
 * {@link For} always counts up from 0 in its header, so no shrinking step can make a program hang.
 */
final class Ast {
  /**
   * Which fraction of the methods under test also get forward mode and Hessian-vector products
   * ({@code adjoint.fuzz.modes}, 0.25: each costs another two methods to compile and check).
   */
  static final double MODES = Double.parseDouble(System.getProperty("adjoint.fuzz.modes", "0.25"));

  private Ast() {}

  /** Value types: double, int, boolean, double[], double[][]. */
  /** F1 is a float[] parameter, read only, each element widened to double where it is read. */
  enum Ty { D, I, B, A1, A2, F1 }

  // ------------------------------------------------------------------------------------------ expressions

  sealed interface Expr permits Num, Ref, Un, Bin, Call, Idx, Len, Tern, NewArr, Copy, Inc {
    Ty ty();
  }

  /** A literal, printed as its text ("0.5", "3"). */
  record Num(Ty ty, String text) implements Expr {}

  /** A variable or parameter. */
  record Ref(Ty ty, String name) implements Expr {}

  /** {@code -e} or {@code !e}. */
  record Un(Ty ty, String op, Expr e) implements Expr {}

  /** Arithmetic, comparison or logical operator. */
  record Bin(Ty ty, String op, Expr l, Expr r) implements Expr {}

  /** {@code Math.sin(..)} or a call to a helper method of the same class. */
  record Call(Ty ty, String fn, List<Expr> args) implements Expr {}

  /** {@code arr[index]}. */
  record Idx(Ty ty, Expr arr, Expr index) implements Expr {}

  /** {@code arr.length}. */
  record Len(Expr arr) implements Expr {
    @Override
    public Ty ty() {
      return Ty.I;
    }
  }

  /** {@code (cond ? then : els)}. */
  record Tern(Ty ty, Expr cond, Expr then, Expr els) implements Expr {}

  /** {@code new double[len]}. */
  /** {@code name++} inside an expression, on an int local nothing else in the statement reads. */
  record Inc(String name) implements Expr {
    @Override
    public Ty ty() {
      return Ty.I;
    }
  }

  record NewArr(Expr len) implements Expr {
    @Override
    public Ty ty() {
      return Ty.A1;
    }
  }

  /** {@code arr.clone()} of a double[] or a row {@code m[k]}: only as a declaration's initializer. */
  record Copy(Expr arr) implements Expr {
    @Override
    public Ty ty() {
      return Ty.A1;
    }
  }

  static Num dnum(String text) {
    return new Num(Ty.D, text);
  }

  static Num inum(int v) {
    return new Num(Ty.I, Integer.toString(v));
  }

  static Ref dref(String name) {
    return new Ref(Ty.D, name);
  }

  static Ref iref(String name) {
    return new Ref(Ty.I, name);
  }

  static Bin dbin(String op, Expr l, Expr r) {
    return new Bin(Ty.D, op, l, r);
  }

  static Bin ibin(String op, Expr l, Expr r) {
    return new Bin(Ty.I, op, l, r);
  }

  static Bin cmp(String op, Expr l, Expr r) {
    return new Bin(Ty.B, op, l, r);
  }

  static Call math(String fn, Expr... args) {
    return new Call(Ty.D, "Math." + fn, List.of(args));
  }

  /** The direct sub-expressions of {@code e}. */
  static List<Expr> children(Expr e) {
    if (e instanceof Un u) {
      return List.of(u.e());
    } else if (e instanceof Bin b) {
      return List.of(b.l(), b.r());
    } else if (e instanceof Call c) {
      return c.args();
    } else if (e instanceof Idx i) {
      return List.of(i.arr(), i.index());
    } else if (e instanceof Len l) {
      return List.of(l.arr());
    } else if (e instanceof Tern t) {
      return List.of(t.cond(), t.then(), t.els());
    } else if (e instanceof NewArr n) {
      return List.of(n.len());
    } else if (e instanceof Copy c) {
      return List.of(c.arr());
    }
    return List.of();
  }

  /** {@code e} with its direct sub-expressions replaced (same count and order as {@link #children}). */
  static Expr withChildren(Expr e, List<Expr> k) {
    if (e instanceof Un u) {
      return new Un(u.ty(), u.op(), k.get(0));
    } else if (e instanceof Bin b) {
      return new Bin(b.ty(), b.op(), k.get(0), k.get(1));
    } else if (e instanceof Call c) {
      return new Call(c.ty(), c.fn(), List.copyOf(k));
    } else if (e instanceof Idx i) {
      return new Idx(i.ty(), k.get(0), k.get(1));
    } else if (e instanceof Len) {
      return new Len(k.get(0));
    } else if (e instanceof Tern t) {
      return new Tern(t.ty(), k.get(0), k.get(1), k.get(2));
    } else if (e instanceof NewArr) {
      return new NewArr(k.get(0));
    } else if (e instanceof Copy) {
      return new Copy(k.get(0));
    }
    return e;
  }

  // ------------------------------------------------------------------------------------------ statements

  sealed interface Stmt permits Decl, Assign, Step, If, For, ForEach, While, DoWhile, Switch, Break, Continue, Return,
      Guard, Labeled, Jump {}

  /** {@code if (!Double.isFinite(value)) { throw new IllegalArgumentException("not finite: " + value); }}. */
  record Guard(Expr value) implements Stmt {}

  /** {@code label: for (...)}. */
  record Labeled(String label, For loop) implements Stmt {}

  /** {@code break label;} or {@code continue label;} ({@code kind} is "break" or "continue"). */
  record Jump(String kind, String label) implements Stmt {}

  /** {@code double t = init;} (or int, double[]). */
  record Decl(Ty ty, String name, Expr init) implements Stmt {}

  /** {@code target op value;} with op one of = += -= *= /=. */
  record Assign(Expr target, String op, Expr value) implements Stmt {}

  /** {@code name++;} or {@code name--;}. */
  record Step(String name, String op) implements Stmt {}

  /** {@code if (cond) { then } else { els }}; an else holding a single If prints as else-if. */
  record If(Expr cond, List<Stmt> then, List<Stmt> els) implements Stmt {}

  /** {@code for (int var = 0; var < bound; var++) { body }}. */
  record For(String var, Expr bound, List<Stmt> body) implements Stmt {}

  /** {@code for (double var : arr) { body }}. */
  record ForEach(String var, Expr arr, List<Stmt> body) implements Stmt {}

  /** {@code int counter = 0; while (cond && counter < max) { counter++; body }}. */
  record While(String counter, int max, Expr cond, List<Stmt> body) implements Stmt {}

  /** {@code int counter = 0; do { counter++; body } while (cond && counter < max);}. */
  record DoWhile(String counter, int max, List<Stmt> body, Expr cond) implements Stmt {}

  /** A switch statement; each group's body is printed as a block, optionally followed by break. */
  record Switch(Expr selector, List<Case> cases) implements Stmt {}

  /** {@code case 1: case 2: { body } break;} or {@code default: { body }}; empty labels = default. */
  record Case(List<Integer> labels, List<Stmt> body, boolean brk) {
    boolean isDefault() {
      return labels.isEmpty();
    }
  }

  record Break() implements Stmt {}

  record Continue() implements Stmt {}

  record Return(Expr value) implements Stmt {}

  /** Uniform access to a statement's expression slots and nested blocks. */
  static final class Stmts {
    private Stmts() {}

    /** The expression slots of {@code s}, in a fixed order. */
    static List<Expr> exprs(Stmt s) {
      if (s instanceof Decl d) {
        return List.of(d.init());
      } else if (s instanceof Assign a) {
        return List.of(a.target(), a.value());
      } else if (s instanceof If i) {
        return List.of(i.cond());
      } else if (s instanceof For f) {
        return List.of(f.bound());
      } else if (s instanceof ForEach f) {
        return List.of(f.arr());
      } else if (s instanceof While w) {
        return List.of(w.cond());
      } else if (s instanceof DoWhile d) {
        return List.of(d.cond());
      } else if (s instanceof Switch sw) {
        return List.of(sw.selector());
      } else if (s instanceof Guard g) {
        return List.of(g.value());
      } else if (s instanceof Labeled l) {
        return List.of(l.loop().bound());
      } else if (s instanceof Return r) {
        return List.of(r.value());
      }
      return List.of();
    }

    /** The nested blocks of {@code s}, in a fixed order (a switch: one per case). */
    static List<List<Stmt>> blocks(Stmt s) {
      if (s instanceof If i) {
        return List.of(i.then(), i.els());
      } else if (s instanceof Labeled l) {
        return List.of(l.loop().body());
      } else if (s instanceof For f) {
        return List.of(f.body());
      } else if (s instanceof ForEach f) {
        return List.of(f.body());
      } else if (s instanceof While w) {
        return List.of(w.body());
      } else if (s instanceof DoWhile d) {
        return List.of(d.body());
      } else if (s instanceof Switch sw) {
        List<List<Stmt>> out = new ArrayList<>();
        for (Case c : sw.cases()) {
          out.add(c.body());
        }
        return out;
      }
      return List.of();
    }

    /** {@code s} with its expression slots and blocks replaced. */
    static Stmt with(Stmt s, List<Expr> e, List<List<Stmt>> b) {
      if (s instanceof Decl d) {
        return new Decl(d.ty(), d.name(), e.get(0));
      } else if (s instanceof Assign a) {
        return new Assign(e.get(0), a.op(), e.get(1));
      } else if (s instanceof If) {
        return new If(e.get(0), b.get(0), b.get(1));
      } else if (s instanceof For f) {
        return new For(f.var(), e.get(0), b.get(0));
      } else if (s instanceof ForEach f) {
        return new ForEach(f.var(), e.get(0), b.get(0));
      } else if (s instanceof While w) {
        return new While(w.counter(), w.max(), e.get(0), b.get(0));
      } else if (s instanceof DoWhile d) {
        return new DoWhile(d.counter(), d.max(), b.get(0), e.get(0));
      } else if (s instanceof Switch sw) {
        List<Case> cs = new ArrayList<>();
        for (int i = 0; i < sw.cases().size(); i++) {
          Case c = sw.cases().get(i);
          cs.add(new Case(c.labels(), b.get(i), c.brk()));
        }
        return new Switch(e.get(0), cs);
      } else if (s instanceof Return) {
        return new Return(e.get(0));
      } else if (s instanceof Guard) {
        return new Guard(e.get(0));
      } else if (s instanceof Labeled l) {
        return new Labeled(l.label(), new For(l.loop().var(), e.get(0), b.get(0)));
      }
      return s;
    }

    static Stmt map(Stmt s, java.util.function.UnaryOperator<Expr> fe,
        java.util.function.UnaryOperator<List<Stmt>> fb) {
      List<Expr> es = new ArrayList<>();
      for (Expr e : exprs(s)) {
        es.add(fe.apply(e));
      }
      List<List<Stmt>> bs = new ArrayList<>();
      for (List<Stmt> b : blocks(s)) {
        bs.add(fb.apply(b));
      }
      return with(s, es, bs);
    }
  }

  // ------------------------------------------------------------------------------------------ methods

  record Param(Ty ty, String name) {}

  /**
   * How a method is declared: {@code @Differentiable}, or (helpers only) without any annotation,
   * package-private or private, so that the processor differentiates it on demand.
   */
  enum Access { ANNOTATED, PLAIN, PRIVATE }

  /** A static method returning double; the method under test is always {@code @Differentiable}. */
  record Method(String name, List<Param> params, List<Stmt> body, Access access) {
    Method(String name, List<Param> params, List<Stmt> body) {
      this(name, params, body, Access.ANNOTATED);
    }

    Method withBody(List<Stmt> newBody) {
      return new Method(name, params, newBody, access);
    }
  }

  /**
   * One fuzz program: the method under test ({@code main}) and the helpers it may call, declared
   * first. Helper names start with {@code main.name() + "_"}.
   */
  record Program(String name, List<Method> helpers, Method main) {
    List<Method> methods() {
      List<Method> all = new ArrayList<>(helpers);
      all.add(main);
      return all;
    }

    /** The same program with every method renamed from prefix {@code name} to {@code newName}. */
    Program renamed(String newName) {
      List<Method> hs = new ArrayList<>();
      for (Method h : helpers) {
        hs.add(renameMethod(h, newName));
      }
      return new Program(newName, hs, renameMethod(main, newName));
    }

    private Method renameMethod(Method m, String newName) {
      String mname = m.name().equals(name) ? newName : newName + m.name().substring(name.length());
      return new Method(mname, m.params(), Rename.block(m.body(), name + "_", newName + "_"), m.access());
    }
  }

  /** Renames helper calls by prefix. */
  private static final class Rename {
    static List<Stmt> block(List<Stmt> b, String from, String to) {
      List<Stmt> out = new ArrayList<>();
      for (Stmt s : b) {
        out.add(stmt(s, from, to));
      }
      return out;
    }

    static Stmt stmt(Stmt s, String f, String t) {
      return Stmts.map(s, e -> expr(e, f, t), b -> block(b, f, t));
    }

    static Expr expr(Expr e, String f, String t) {
      List<Expr> kids = children(e);
      List<Expr> nk = new ArrayList<>(kids.size());
      for (Expr k : kids) {
        nk.add(expr(k, f, t));
      }
      Expr r = withChildren(e, nk);
      if (r instanceof Call c && c.fn().startsWith(f)) {
        return new Call(c.ty(), t + c.fn().substring(f.length()), c.args());
      }
      return r;
    }
  }

  // ------------------------------------------------------------------------------------------ size

  static int size(Program p) {
    int n = 0;
    for (Method m : p.methods()) {
      n += 1 + m.params().size() + size(m.body());
    }
    return n;
  }

  static int size(List<Stmt> b) {
    int n = 0;
    for (Stmt s : b) {
      n += size(s);
    }
    return n;
  }

  static int size(Stmt s) {
    int n = 1;
    for (Expr e : Stmts.exprs(s)) {
      n += size(e);
    }
    for (List<Stmt> b : Stmts.blocks(s)) {
      n += 1 + size(b);
    }
    if (s instanceof Switch sw) {
      for (Case c : sw.cases()) {
        n += c.labels().size() + (c.brk() ? 1 : 0);
      }
    } else if (s instanceof While || s instanceof DoWhile) {
      n += 2;
    }
    return n;
  }

  static int size(Expr e) {
    int n = 1;
    for (Expr k : children(e)) {
      n += size(k);
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------ printing

  /** Prints programs as Java source; records which lines each program occupies. */
  static final class Printer {
    private final StringBuilder out = new StringBuilder();
    private int line = 1;
    /** The loops printed with the label {@code checkpoint:} (by identity). */
    private Set<Stmt> checkpoints = Set.of();
    /** Their label: {@code checkpoint} (copies chosen from the steps) or with 1 to 3 copies, for deep schedules. */
    private String checkpointLabel = Checkpointing.LABEL;

    Printer raw(String text) {
      out.append(text);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return this;
    }

    /** The line the next character will be on (1-based). */
    int line() {
      return line;
    }

    @Override
    public String toString() {
      return out.toString();
    }

    void program(Program p, String indent) {
      for (Method m : p.methods()) {
        checkpoints = m == p.main() ? checkpointed(p) : Set.of();
        int copies = Math.floorMod(p.name().hashCode() * 17 + 3, 4);
        checkpointLabel = Checkpointing.LABEL + (copies == 0 ? "" : Integer.toString(copies));
        method(m, indent, m == p.main() ? modesOf(p) : "");
        checkpoints = Set.of();
      }
    }

    /**
     * In a third of programs (by name), the top-level counted loops of the method under test that
     * a {@code checkpoint:} label fits: left only through their condition, their counter and bound
     * unchanged by the body, their state numbers and arrays (no booleans).
     */
    static Set<Stmt> checkpointed(Program p) {
      if (Math.floorMod(p.name().hashCode() * 31 + 7, 3) != 0) {
        return Set.of();
      }
      Map<String, Ty> types = new HashMap<>();
      p.main().params().forEach(q -> types.put(q.name(), q.ty()));
      Set<Stmt> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Stmt s : p.main().body()) {
        if (s instanceof Decl d) {
          types.put(d.name(), d.ty());
        }
        if (s instanceof For f && fitsCheckpoint(f, types)) {
          out.add(f);
        }
      }
      return out;
    }

    private static boolean fitsCheckpoint(For f, Map<String, Ty> outer) {
      Set<String> assigned = new HashSet<>();
      Set<String> declared = new HashSet<>();
      if (!walk(f.body(), assigned, declared, false, false)) {
        return false;
      }
      Set<String> bound = new HashSet<>();
      refs(f.bound(), bound);
      for (String v : assigned) {
        if (declared.contains(v)) {
          continue;
        }
        if (v.equals(f.var()) || bound.contains(v) || outer.get(v) == null || outer.get(v) == Ty.B) {
          return false;
        }
      }
      return true;
    }

    /**
     * Collects what the statements assign and declare; false when one leaves the loop (a return, a
     * throwing guard, a break or continue of the loop itself rather than of a loop or switch inside it).
     */
    private static boolean walk(List<Stmt> block, Set<String> assigned, Set<String> declared, boolean breaks,
        boolean continues) {
      for (Stmt s : block) {
        if (s instanceof Decl d) {
          declared.add(d.name());
          incs(d.init(), assigned);
        } else if (s instanceof Assign a) {
          Expr t = a.target();
          while (t instanceof Idx i) {
            incs(i.index(), assigned);
            t = i.arr();
          }
          if (!(t instanceof Ref r)) {
            return false;
          }
          assigned.add(r.name());
          incs(a.value(), assigned);
        } else if (s instanceof Step st) {
          assigned.add(st.name());
        } else if (s instanceof If i) {
          incs(i.cond(), assigned);
          if (!walk(i.then(), assigned, declared, breaks, continues)
              || !walk(i.els(), assigned, declared, breaks, continues)) {
            return false;
          }
        } else if (s instanceof For loop) {
          declared.add(loop.var());
          incs(loop.bound(), assigned);
          if (!walk(loop.body(), assigned, declared, true, true)) {
            return false;
          }
        } else if (s instanceof Labeled l) {
          declared.add(l.loop().var());
          incs(l.loop().bound(), assigned);
          if (!walk(l.loop().body(), assigned, declared, true, true)) {
            return false;
          }
        } else if (s instanceof ForEach fe) {
          declared.add(fe.var());
          if (!walk(fe.body(), assigned, declared, true, true)) {
            return false;
          }
        } else if (s instanceof While w) {
          declared.add(w.counter());
          incs(w.cond(), assigned);
          if (!walk(w.body(), assigned, declared, true, true)) {
            return false;
          }
        } else if (s instanceof DoWhile w) {
          declared.add(w.counter());
          incs(w.cond(), assigned);
          if (!walk(w.body(), assigned, declared, true, true)) {
            return false;
          }
        } else if (s instanceof Switch sw) {
          incs(sw.selector(), assigned);
          for (Case c : sw.cases()) {
            // a break there leaves the switch; a continue still continues the checkpointed loop
            if (!walk(c.body(), assigned, declared, true, continues)) {
              return false;
            }
          }
        } else if (s instanceof Break && breaks || s instanceof Continue && continues || s instanceof Jump) {
          continue; // leaves a loop or switch inside the checkpointed one (labels there are of inner loops)
        } else {
          return false; // a guard that throws, a return, a break or continue of the loop itself
        }
      }
      return true;
    }

    private static void incs(Expr e, Set<String> assigned) {
      if (e instanceof Inc i) {
        assigned.add(i.name());
      } else if (e instanceof Un u) {
        incs(u.e(), assigned);
      } else if (e instanceof Bin b) {
        incs(b.l(), assigned);
        incs(b.r(), assigned);
      } else if (e instanceof Call c) {
        c.args().forEach(a -> incs(a, assigned));
      } else if (e instanceof Idx i) {
        incs(i.arr(), assigned);
        incs(i.index(), assigned);
      } else if (e instanceof Tern t) {
        incs(t.cond(), assigned);
        incs(t.then(), assigned);
        incs(t.els(), assigned);
      } else if (e instanceof Len l) {
        incs(l.arr(), assigned);
      } else if (e instanceof NewArr n) {
        incs(n.len(), assigned);
      } else if (e instanceof Copy c) {
        incs(c.arr(), assigned);
      }
    }

    private static void refs(Expr e, Set<String> out) {
      if (e instanceof Ref r) {
        out.add(r.name());
      } else if (e instanceof Inc i) {
        out.add(i.name());
      } else if (e instanceof Un u) {
        refs(u.e(), out);
      } else if (e instanceof Bin b) {
        refs(b.l(), out);
        refs(b.r(), out);
      } else if (e instanceof Call c) {
        c.args().forEach(a -> refs(a, out));
      } else if (e instanceof Idx i) {
        refs(i.arr(), out);
        refs(i.index(), out);
      } else if (e instanceof Tern t) {
        refs(t.cond(), out);
        refs(t.then(), out);
        refs(t.els(), out);
      } else if (e instanceof Len l) {
        refs(l.arr(), out);
      } else if (e instanceof NewArr n) {
        refs(n.len(), out);
      } else if (e instanceof Copy c) {
        refs(c.arr(), out);
      }
    }

    /**
     * For the fraction {@link #MODES} of programs (chosen by name, so a program is rendered the
     * same way every time), the method under test gets all three modes; helpers keep the default,
     * and get their {@code Jvp} because a forward-mode method calls them. Hessian-vector products
     * inline the calls they go through, so HVP is left out where the inliner refuses: a recursive
     * helper, a call that may sit under {@code ?:}, {@code &&} or {@code ||} (any of them in
     * the program, to keep the test simple), or {@code valueSettings}, which gives {@code null} for
     * an array argument.
     */
    static String modesOf(Program p) {
      if (Math.floorMod(p.name().hashCode() * 0x9E3779B9, 1000) >= MODES * 1000) {
        return "";
      }
      Printer all = new Printer();
      for (Method m : p.methods()) {
        all.method(m, "", "");
      }
      String text = all.toString();
      boolean inlinable = !text.contains(p.name() + "_r")
          && !text.contains("?") && !text.contains("&&") && !text.contains("||")
          && !text.contains("valueSettings(");
      return inlinable
          ? "(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})"
          : "(modes = {Mode.REVERSE, Mode.FORWARD})";
    }

    void method(Method m, String ind) {
      method(m, ind, "");
    }

    void method(Method m, String ind, String modes) {
      StringBuilder sig = new StringBuilder();
      for (Param p : m.params()) {
        if (sig.length() > 0) {
          sig.append(", ");
        }
        sig.append(typeName(p.ty())).append(' ').append(p.name());
      }
      if (m.access() == Access.ANNOTATED || !modes.isEmpty()) {
        raw(ind + "@Differentiable" + modes + "\n");
      }
      raw(ind + (m.access() == Access.PRIVATE ? "private " : "") + "static double " + m.name() + "(" + sig + ") {\n");
      block(m.body(), ind + "  ");
      raw(ind + "}\n");
    }

    void block(List<Stmt> b, String ind) {
      for (Stmt s : b) {
        stmt(s, ind);
      }
    }

    void stmt(Stmt s, String ind) {
      if (s instanceof Decl d) {
        raw(ind + typeName(d.ty()) + " " + d.name() + " = " + expr(d.init()) + ";\n");
      } else if (s instanceof Assign a) {
        raw(ind + expr(a.target()) + " " + a.op() + " " + expr(a.value()) + ";\n");
      } else if (s instanceof Step st) {
        raw(ind + st.name() + st.op() + ";\n");
      } else if (s instanceof If i) {
        raw(ind + "if (" + expr(i.cond()) + ") {\n");
        ifRest(i, ind);
      } else if (s instanceof For f) {
        if (checkpoints.contains(s)) {
          raw(ind + checkpointLabel + ":\n");
        }
        raw(ind + "for (int " + f.var() + " = 0; " + f.var() + " < " + expr(f.bound()) + "; " + f.var() + "++) {\n");
        block(f.body(), ind + "  ");
        raw(ind + "}\n");
      } else if (s instanceof ForEach f) {
        raw(ind + "for (double " + f.var() + " : " + expr(f.arr()) + ") {\n");
        block(f.body(), ind + "  ");
        raw(ind + "}\n");
      } else if (s instanceof While w) {
        raw(ind + "int " + w.counter() + " = 0;\n");
        raw(ind + "while (" + paren(w.cond()) + " && " + w.counter() + " < " + w.max() + ") {\n");
        raw(ind + "  " + w.counter() + "++;\n");
        block(w.body(), ind + "  ");
        raw(ind + "}\n");
      } else if (s instanceof DoWhile d) {
        raw(ind + "int " + d.counter() + " = 0;\n");
        raw(ind + "do {\n");
        raw(ind + "  " + d.counter() + "++;\n");
        block(d.body(), ind + "  ");
        raw(ind + "} while (" + paren(d.cond()) + " && " + d.counter() + " < " + d.max() + ");\n");
      } else if (s instanceof Switch sw) {
        raw(ind + "switch (" + expr(sw.selector()) + ") {\n");
        for (Case c : sw.cases()) {
          StringBuilder labels = new StringBuilder();
          if (c.isDefault()) {
            labels.append("default:");
          } else {
            for (int l : c.labels()) {
              labels.append(labels.length() > 0 ? " " : "").append("case ").append(l).append(':');
            }
          }
          raw(ind + "  " + labels + " {\n");
          block(c.body(), ind + "    ");
          raw(ind + "  }\n");
          if (c.brk()) {
            raw(ind + "  break;\n");
          }
        }
        raw(ind + "}\n");
      } else if (s instanceof Break) {
        raw(ind + "break;\n");
      } else if (s instanceof Continue) {
        raw(ind + "continue;\n");
      } else if (s instanceof Return r) {
        raw(ind + "return " + expr(r.value()) + ";\n");
      } else if (s instanceof Guard g) {
        raw(ind + "if (!Double.isFinite(" + expr(g.value()) + ")) {\n");
        raw(ind + "  throw new IllegalArgumentException(\"not finite: \" + " + paren(g.value()) + ");\n");
        raw(ind + "}\n");
      } else if (s instanceof Labeled l) {
        raw(ind + l.label() + ":\n");
        stmt(l.loop(), ind);
      } else if (s instanceof Jump j) {
        raw(ind + j.kind() + " " + j.label() + ";\n");
      }
    }

    private void ifRest(If i, String ind) {
      block(i.then(), ind + "  ");
      if (i.els().isEmpty()) {
        raw(ind + "}\n");
      } else if (i.els().size() == 1 && i.els().get(0) instanceof If inner) {
        raw(ind + "} else if (" + expr(inner.cond()) + ") {\n");
        ifRest(inner, ind);
      } else {
        raw(ind + "} else {\n");
        block(i.els(), ind + "  ");
        raw(ind + "}\n");
      }
    }
  }

  static String typeName(Ty ty) {
    return switch (ty) {
      case D -> "double";
      case I -> "int";
      case B -> "boolean";
      case A1 -> "double[]";
      case A2 -> "double[][]";
      case F1 -> "float[]";
    };
  }

  /** The expression as Java text; compound operands are parenthesised, so precedence never matters. */
  static String expr(Expr e) {
    if (e instanceof Num n) {
      return n.text();
    } else if (e instanceof Ref r) {
      return r.name();
    } else if (e instanceof Un u) {
      return u.op() + paren(u.e());
    } else if (e instanceof Bin b) {
      return paren(b.l()) + " " + b.op() + " " + paren(b.r());
    } else if (e instanceof Call c) {
      StringBuilder sb = new StringBuilder(c.fn()).append('(');
      for (int i = 0; i < c.args().size(); i++) {
        sb.append(i > 0 ? ", " : "").append(expr(c.args().get(i)));
      }
      return sb.append(')').toString();
    } else if (e instanceof Idx i && i.arr() instanceof Ref r && r.ty() == Ty.F1) {
      // widened where it is read: the method then computes in double, as finite differences assume
      return "(double) " + r.name() + "[" + expr(i.index()) + "]";
    } else if (e instanceof Idx i) {
      return paren(i.arr()) + "[" + expr(i.index()) + "]";
    } else if (e instanceof Len l) {
      return paren(l.arr()) + ".length";
    } else if (e instanceof Tern t) {
      return "(" + expr(t.cond()) + " ? " + expr(t.then()) + " : " + expr(t.els()) + ")";
    } else if (e instanceof Inc i) {
      return i.name() + "++";
    } else if (e instanceof Copy c) {
      return paren(c.arr()) + ".clone()";
    } else {
      return "new double[" + expr(((NewArr) e).len()) + "]";
    }
  }

  /** Parenthesised unless atomic. */
  static String paren(Expr e) {
    if (e instanceof Num n) {
      return n.text().startsWith("-") ? "(" + n.text() + ")" : n.text();
    } else if (e instanceof Ref || e instanceof Call || e instanceof Idx || e instanceof Len || e instanceof Tern) {
      return expr(e);
    }
    return "(" + expr(e) + ")";
  }

  /** A complete compilation unit holding one program in class {@code pkg.cls}. */
  static String unit(String pkg, String cls, List<String> headerComments, Program p) {
    Printer pr = new Printer();
    for (String c : headerComments) {
      pr.raw("// " + c + "\n");
    }
    if (!pkg.isEmpty()) {
      pr.raw("package " + pkg + ";\n\n");
    }
    pr.raw("import dev.adjoint.Differentiable;\nimport dev.adjoint.Mode;\n\n");
    pr.raw("class " + cls + " {\n");
    pr.program(p, "  ");
    pr.raw(VALUE_OBJECT_HELPERS);
    pr.raw("}\n");
    return pr.toString();
  }

  /**
   * Helpers every generated class holds, which LANG programs call: library value objects
   * (Commons Numbers' double-double DD and compensated Sum) that the processor takes apart into
   * their parts, an object of final fields made from constants and read by its getters (as
   * Commons Numbers' Policy), and null for an out-parameter no derivative flows through; each
   * differentiated on demand from whatever context the program calls it in. {@code valueLse}, a
   * log-sum-exp over an array (ADBench GMM's), is what sum loops with a scratch array add (CALL
   * programs): its pullback adds into the caller's arrays, and where it follows the call at once
   * the two run as one ({@code valueLseValueVjpInto}).
   */
  static final String VALUE_OBJECT_HELPERS = """
        static double valueDd(double a, double b) {
          final org.apache.commons.numbers.core.DD p = org.apache.commons.numbers.core.DD.ofProduct(a, b);
          return p.hi() + org.apache.commons.numbers.core.DD.ofSum(p.lo(), a).doubleValue();
        }

        static double valueSum(double a, double b, double c) {
          final org.apache.commons.numbers.core.Sum s = org.apache.commons.numbers.core.Sum.of(a);
          s.add(b).addProduct(b, c);
          return s.getAsDouble();
        }

        static final class Settings {
          private final double eps;
          private final int steps;

          Settings(double eps, int steps) {
            this.eps = eps;
            this.steps = steps;
          }

          double getEps() {
            return eps;
          }

          int getSteps() {
            return steps;
          }
        }

        static double valueSettings(double a, double b) {
          Settings t = new Settings(0.25, 2);
          double s = 0;
          for (int i = 0; i < t.getSteps(); i++) {
            s += Math.sin(a * t.getEps() + b * i);
          }
          return s + signed(a * b, null);
        }

        static double signed(double x, int[] sign) {
          if (sign != null) {
            sign[0] = x < 0 ? -1 : 1;
          }
          return x * x;
        }

        static double valueLse(double[] v) {
          double mx = v[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] > mx) {
              mx = v[i];
            }
          }
          double e = 0;
          for (int i = 0; i < v.length; i++) {
            e = e + Math.exp(v[i] - mx);
          }
          return Math.log(e) + mx;
        }
      """;
}
