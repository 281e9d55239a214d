package dev.adjoint.processor.reverse;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NaN and infinity provenance ({@code -Aadjoint.checkFinite=true}): after the adjoint code of each
 * primal statement, the adjoints it wrote are tested, and the first NaN or infinity throws a
 * {@code NonFiniteAdjointException} naming the statement, its line, the adjoints and the values
 * that code read. Applied to a built pullback, so the plan of the sweep is the same with and
 * without it; off by default, and then nothing of it is generated.
 *
 * <p>Tensor adjoints are not tested.
 */
public final class FiniteChecks {
  private static final RefType DOUBLE = new RefType("java.lang", List.of("Double"));
  private static final RefType STRING = new RefType("java.lang", List.of("String"));
  private static final RefType EXCEPTION = new RefType("dev.adjoint.check", List.of("NonFiniteAdjointException"));
  private static final Pattern LINE = Pattern.compile("line (\\d+): (.*)", Pattern.DOTALL);
  /** At most this many values read are named in a message: enough to see the cause. */
  private static final int MAX_READS = 8;

  private final Names names;
  private final Set<Var> adjoints;
  private final String method;

  private FiniteChecks(GradMethod g) {
    this.names = g.names();
    this.method = g.primal().owner().simpleNames().get(g.primal().owner().simpleNames().size() - 1) + "."
        + g.primal().name();
    // the adjoints of the sweep are declared first, each with its zero
    Set<Var> declared = new LinkedHashSet<>();
    for (Stmt s : g.reverse()) {
      if (!(s instanceof Stmt.Declare d)) {
        break;
      }
      if (checkable(d.var().type())) {
        declared.add(d.var());
      }
    }
    declared.addAll(g.gradients().stream().filter(v -> v != null && checkable(v.type())).toList());
    // the adjoints of loops reversed iteration by iteration, and their partials, which the forward
    // sweep declares before such a loop (no other generated number is written by reverse code)
    for (Stmt s : g.forward()) {
      if (s instanceof Stmt.Declare d && d.var().kind() == Var.Kind.SYNTHETIC && checkable(d.var().type())) {
        declared.add(d.var());
      }
    }
    this.adjoints = declared;
  }

  /** The pullback with a check after each statement's adjoint code. */
  public static GradMethod apply(GradMethod g) {
    FiniteChecks c = new FiniteChecks(g);
    GradMethod.Accumulating acc = g.accumulating() == null ? null
        : new GradMethod.Accumulating(g.accumulating().forward(), g.accumulating().valueForward(),
            c.block(g.accumulating().reverse()));
    List<Stmt> forward = g.forward().stream().map(c::iterationsBackwards).toList();
    return new GradMethod(g.primal(), forward, c.block(g.reverse()), g.value(), g.seed(), g.gradients(),
        g.unusedParameters(), g.names(), acc, g.residuals());
  }

  /** A loop of the forward sweep that reverses each iteration at once: its reverse half checked. */
  private Stmt iterationsBackwards(Stmt s) {
    if (!(s instanceof Stmt.Loop l)) {
      return s;
    }
    int at = l.body().indexOf(ReverseBuilder.ITERATION_BACKWARDS);
    if (at < 0) {
      return s;
    }
    List<Stmt> body = new ArrayList<>(l.body().subList(0, at));
    Stmt last = at > 0 ? body.get(at - 1) : null;
    String source = last instanceof Stmt.Assign a ? a.source() : last instanceof Stmt.Declare d ? d.source()
        : last instanceof Stmt.ArrayStore a ? a.source() : null;
    if (source != null && ValuePullbacks.runsPullback(last)) {
      // the forward half's last call also ran its pullback (ValuePullbacks): checked as its statement's
      body.remove(at - 1);
      Matcher line = LINE.matcher("line " + last.pos().line() + ": " + source);
      if (line.matches()) {
        flush(line, List.of(last), body);
      }
    }
    body.add(l.body().get(at));
    body.addAll(block(l.body().subList(at + 1, l.body().size())));
    return new Stmt.Loop(l.init(), l.cond(), l.update(), body, l.testFirst(), l.pos(), l.source());
  }

  private static boolean checkable(Type t) {
    return t == Prim.DOUBLE || t == Prim.FLOAT
        || t instanceof ArrayType a && (a.element() == Prim.DOUBLE
            || a.element() instanceof ArrayType b && b.element() == Prim.DOUBLE);
  }

  /** A block with its statements' checks; segments start at each {@code line N:} comment. */
  private List<Stmt> block(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    Matcher current = null;
    List<Stmt> segment = new ArrayList<>();
    for (Stmt s : block) {
      Matcher m = s instanceof Stmt.Comment c ? LINE.matcher(c.text()) : null;
      if (m != null && m.matches()) {
        flush(current, segment, out);
        current = m;
        segment = new ArrayList<>();
        out.add(s);
        continue;
      }
      Stmt inner = hasLineComments(s) ? Rewrite.withBlocks(s, this::block) : s;
      if (current == null) {
        out.add(inner);
      } else {
        segment.add(inner);
      }
    }
    flush(current, segment, out);
    return out;
  }

  private static boolean hasLineComments(Stmt s) {
    boolean[] found = {false};
    for (List<Stmt> b : Rewrite.children(s)) {
      Rewrite.forEachStmt(b, x -> found[0] |= x instanceof Stmt.Comment c && LINE.matcher(c.text()).matches());
    }
    return found[0];
  }

  /** Writes the segment, then the test of what it wrote. */
  private void flush(Matcher line, List<Stmt> segment, List<Stmt> out) {
    if (line == null) {
      out.addAll(segment);
      return;
    }
    Map<String, Expr> produced = new LinkedHashMap<>();
    Map<String, Expr> read = new LinkedHashMap<>();
    // locals of the loops and branches inside the segment are out of scope after them
    Set<Var> nested = new LinkedHashSet<>();
    for (Stmt s : segment) {
      for (List<Stmt> b : Rewrite.children(s)) {
        Rewrite.forEachStmt(b, x -> {
          if (x instanceof Stmt.Declare d) {
            nested.add(d.var());
          }
        });
      }
    }
    for (int k = 0; k < segment.size(); k++) {
      Stmt s = segment.get(k);
      out.add(s);
      if (!hasLineComments(s)) {
        // a loop or branch with statements of its own (line comments) is checked inside
        collect(s, produced, read, nested);
      }
      if (s instanceof Stmt.ArrayStore a && adjoints.contains(base(a.target())) && !stable(a.target(), segment, k)) {
        // the element's index changes later in this code: test it where it was written
        Map<String, Expr> one = new LinkedHashMap<>();
        one.put(label(a.target()), a.target());
        produced.remove(label(a.target()));
        out.add(check(line, one, read));
      }
    }
    if (!produced.isEmpty()) {
      out.add(check(line, produced, read));
    }
  }

  /** What a statement (and the code nested in it without comments of its own) writes and reads. */
  private void collect(Stmt s, Map<String, Expr> produced, Map<String, Expr> read, Set<Var> nested) {
    Rewrite.forEachStmt(List.of(s), x -> {
      if (x instanceof Stmt.Assign a && adjoints.contains(a.var())) {
        produced.put(names.of(a.var()), new Read(a.var()));
      } else if (x instanceof Stmt.ArrayStore a && adjoints.contains(base(a.target()))) {
        String l = readsAny(a.target(), nested) ? null : label(a.target());
        produced.put(l == null ? names.of(base(a.target())) + "[*]" : l, l == null ? whole(base(a.target())) : a.target());
      } else if (x instanceof Stmt.Eval || x instanceof Stmt.Effect || ValuePullbacks.runsPullback(x)) {
        // a callee's accumulating pullback adds into the adjoint arrays it is given
        Rewrite.forEachRead(x, r -> {
          if (adjoints.contains(r.var()) && r.var().type() instanceof ArrayType) {
            produced.put(names.of(r.var()) + "[*]", whole(r.var()));
          }
        });
      }
      Rewrite.exprs(x, e -> {
        if (read.size() < MAX_READS && !readsAny(e, nested)) {
          if (e instanceof Read r && (r.var().type() == Prim.DOUBLE || r.var().type() == Prim.FLOAT)) {
            read.putIfAbsent(names.of(r.var()), e);
          } else if (e instanceof ArrayRead a && a.type() == Prim.DOUBLE && label(a) != null) {
            read.putIfAbsent(label(a), e);
          }
        }
        return e;
      });
    });
  }

  private static boolean readsAny(Expr e, Set<Var> vars) {
    boolean[] found = {false};
    Rewrite.forEachRead(e, r -> found[0] |= vars.contains(r.var()));
    return found[0];
  }

  /** Whether the element a store wrote is still the same one at the end of the segment. */
  private static boolean stable(Expr target, List<Stmt> segment, int at) {
    Set<Var> indexVars = new LinkedHashSet<>();
    Expr t = target;
    while (t instanceof ArrayRead a) {
      Rewrite.forEachRead(a.index(), r -> indexVars.add(r.var()));
      t = a.array();
    }
    boolean[] changed = {false};
    Rewrite.forEachStmt(segment.subList(at + 1, segment.size()), x -> {
      if (x instanceof Stmt.Assign a && indexVars.contains(a.var())
          || x instanceof Stmt.Declare d && indexVars.contains(d.var())) {
        changed[0] = true;
      }
    });
    return !changed[0];
  }

  private Stmt check(Matcher line, Map<String, Expr> produced, Map<String, Expr> read) {
    Expr cond = null;
    for (Expr e : produced.values()) {
      Expr notFinite = new Expr.Not(new Call(DOUBLE, "isFinite", List.of(e), Prim.BOOLEAN));
      cond = cond == null ? notFinite : new Expr.Binary(BinOp.OR, cond, notFinite, Prim.BOOLEAN);
    }
    Map<String, Expr> inputs = new LinkedHashMap<>(read);
    produced.keySet().forEach(inputs::remove);
    List<Expr> args = new ArrayList<>(List.of(
        string(method),
        new Literal(Integer.parseInt(line.group(1)), line.group(1), Prim.INT),
        string(line.group(2)),
        string(String.join(", ", produced.keySet())),
        string(String.join(", ", inputs.keySet()))));
    produced.values().forEach(e -> args.add(asDouble(e)));
    inputs.values().forEach(e -> args.add(asDouble(e)));
    Stmt thrown = new Stmt.Throw(List.of("", ""), List.of(new Call(EXCEPTION, "at", args, EXCEPTION)), Pos.NONE,
        null);
    return new Stmt.If(cond, List.of(thrown), List.of(), Pos.NONE, null);
  }

  private static Expr asDouble(Expr e) {
    return e.type() == Prim.FLOAT ? new Expr.Cast(Prim.DOUBLE, e) : e;
  }

  private static Expr whole(Var array) {
    return new Call(EXCEPTION, "firstNonFinite", List.of(new Read(array)), Prim.DOUBLE);
  }

  private static Var base(Expr target) {
    Expr t = target;
    while (t instanceof ArrayRead a) {
      t = a.array();
    }
    return t instanceof Read r ? r.var() : null;
  }

  /** {@code xBar[i]} for an element whose indexes are variables or numbers; null otherwise. */
  private String label(Expr e) {
    if (e instanceof Read r) {
      return names.of(r.var());
    }
    if (e instanceof Literal l) {
      return l.text();
    }
    if (e instanceof ArrayRead a) {
      String array = label(a.array());
      String index = a.index() instanceof Read || a.index() instanceof Literal ? label(a.index()) : null;
      return array == null || index == null ? null : array + "[" + index + "]";
    }
    return null;
  }

  private static Literal string(String text) {
    StringBuilder q = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        case '\r' -> q.append("\\r");
        default -> {
          if (ch < 0x20) {
            q.append(String.format("\\u%04x", (int) ch));
          } else {
            q.append(ch);
          }
        }
      }
    }
    return new Literal(text, q.append('"').toString(), STRING);
  }
}
