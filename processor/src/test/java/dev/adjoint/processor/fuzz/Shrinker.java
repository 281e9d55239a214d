package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Ast.Assign;
import dev.adjoint.processor.fuzz.Ast.Case;
import dev.adjoint.processor.fuzz.Ast.DoWhile;
import dev.adjoint.processor.fuzz.Ast.Expr;
import dev.adjoint.processor.fuzz.Ast.For;
import dev.adjoint.processor.fuzz.Ast.ForEach;
import dev.adjoint.processor.fuzz.Ast.Idx;
import dev.adjoint.processor.fuzz.Ast.If;
import dev.adjoint.processor.fuzz.Ast.Len;
import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.Num;
import dev.adjoint.processor.fuzz.Ast.Param;
import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.Ast.Ref;
import dev.adjoint.processor.fuzz.Ast.Return;
import dev.adjoint.processor.fuzz.Ast.Stmt;
import dev.adjoint.processor.fuzz.Ast.Stmts;
import dev.adjoint.processor.fuzz.Ast.Switch;
import dev.adjoint.processor.fuzz.Ast.Ty;
import dev.adjoint.processor.fuzz.Ast.While;
import dev.adjoint.processor.fuzz.Failure.Category;
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

/**
 * Greedy test-case reduction: from a failing program, tries every single mutation — remove a
 * statement (or half a block), replace a compound statement by one of its blocks, drop an else or
 * a switch case, remove a helper, replace an expression by the literal 0.5 (ints: 1) or a
 * parameter, or by one of its own sub-expressions of the same type — compiles the candidates in
 * batches and keeps the smallest one that still fails the same way (same {@link
 * Failure#signature()}, at the same point). Repeats until no candidate fails or time runs out.
 * Candidates for compile failures are first compiled without the processor, so the result is
 * always valid Java.
 */
final class Shrinker {
  private static final int CHUNK = 60;

  /** The result: the smallest program found and its failure. */
  record Shrunk(Program program, Failure failure, int rounds, int compiledCandidates) {}

  private final FuzzHarness harness;

  Shrinker(FuzzHarness harness) {
    this.harness = harness;
  }

  /** Whether failures of this kind can be reproduced (and so shrunk). */
  static boolean shrinkable(Failure f) {
    return f.category() != Category.INVALID_PROGRAM;
  }

  Shrunk shrink(Program original, Failure failure, long deadlineNanos) {
    Program best = original;
    Failure bestFailure = failure;
    Point point = failure.point();
    boolean compileKind = point == null;
    int rounds = 0;
    int compiled = 0;
    String sig = failure.signature();
    outer:
    while (System.nanoTime() < deadlineNanos) {
      rounds++;
      int size = Ast.size(best);
      Map<String, Program> unique = new LinkedHashMap<>();
      for (Program c : candidates(best)) {
        if (Ast.size(c) < size) {
          unique.putIfAbsent(FuzzHarness.render("S", List.of(c)).text(), c);
        }
      }
      List<Program> cands = new ArrayList<>(unique.values());
      cands.sort(Comparator.comparingInt(Ast::size));
      for (int from = 0; from < cands.size(); from += CHUNK) {
        if (System.nanoTime() >= deadlineNanos) {
          break outer;
        }
        List<Program> chunk = new ArrayList<>();
        for (int k = from; k < Math.min(cands.size(), from + CHUNK); k++) {
          chunk.add(cands.get(k).renamed(original.name() + "c" + (k - from)));
        }
        compiled += chunk.size();
        Map<String, FuzzHarness.Result> res = harness.run(chunk, "Shrink",
            (p, m) -> point == null ? List.of() : List.of(point), compileKind);
        Program found = null;
        Failure foundFailure = null;
        for (Program c : chunk) {
          Failure f = res.get(c.name()).failure;
          if (f != null && f.signature().equals(sig) && (found == null || Ast.size(c) < Ast.size(found))) {
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
    header.add("Adjoint fuzz failure: " + f.signature());
    for (String line : f.detail().split("\n")) {
      header.add("  " + line.strip());
    }
    header.addAll(extraHeader);
    if (f.point() != null) {
      header.add("check: " + p.name() + " " + f.point());
    }
    String text = Ast.unit(FuzzHarness.PKG, cls, header, p);
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
      List<Method> hs = new ArrayList<>(p.helpers());
      hs.remove(i);
      out.add(new Program(p.name(), hs, p.main()));
    }
    for (int i = 0; i <= p.helpers().size(); i++) {
      boolean isMain = i == p.helpers().size();
      Method m = isMain ? p.main() : p.helpers().get(i);
      for (List<Stmt> body : blockVariants(m.body(), true, doubleParams(m))) {
        Method nm = m.withBody(body);
        if (isMain) {
          out.add(new Program(p.name(), p.helpers(), nm));
        } else {
          List<Method> hs = new ArrayList<>(p.helpers());
          hs.set(i, nm);
          out.add(new Program(p.name(), hs, p.main()));
        }
      }
    }
    return out;
  }

  private static List<String> doubleParams(Method m) {
    List<String> out = new ArrayList<>();
    for (Param p : m.params()) {
      if (p.ty() == Ty.D && out.size() < 2) {
        out.add(p.name());
      }
    }
    return out;
  }

  static List<List<Stmt>> blockVariants(List<Stmt> b, boolean methodBody, List<String> params) {
    List<List<Stmt>> out = new ArrayList<>();
    int n = b.size();
    int removable = methodBody && n > 0 && b.get(n - 1) instanceof Return ? n - 1 : n;
    if (removable >= 4) {
      out.add(without(b, 0, removable / 2));
      out.add(without(b, removable / 2, removable));
    }
    for (int i = 0; i < removable; i++) {
      out.add(without(b, i, i + 1));
    }
    for (int i = 0; i < n; i++) {
      for (List<Stmt> splice : spliceVariants(b.get(i))) {
        List<Stmt> c = new ArrayList<>(b.subList(0, i));
        c.addAll(splice);
        c.addAll(b.subList(i + 1, n));
        out.add(c);
      }
      for (Stmt s : stmtVariants(b.get(i), params)) {
        List<Stmt> c = new ArrayList<>(b);
        c.set(i, s);
        out.add(c);
      }
    }
    return out;
  }

  private static List<Stmt> without(List<Stmt> b, int from, int to) {
    List<Stmt> c = new ArrayList<>(b.subList(0, from));
    c.addAll(b.subList(to, b.size()));
    return c;
  }

  /** Replacements of a compound statement by statement lists (its blocks). */
  private static List<List<Stmt>> spliceVariants(Stmt s) {
    List<List<Stmt>> out = new ArrayList<>();
    if (s instanceof If i) {
      out.add(i.then());
      if (!i.els().isEmpty()) {
        out.add(i.els());
        out.add(List.of(new If(i.cond(), i.then(), List.of())));
      }
    } else if (s instanceof For f) {
      out.add(f.body());
    } else if (s instanceof ForEach f) {
      out.add(f.body());
    } else if (s instanceof While w) {
      out.add(w.body());
    } else if (s instanceof DoWhile d) {
      out.add(d.body());
    } else if (s instanceof Switch sw) {
      for (Case c : sw.cases()) {
        out.add(c.body());
      }
      if (sw.cases().size() > 1) {
        for (int k = 0; k < sw.cases().size(); k++) {
          List<Case> cs = new ArrayList<>(sw.cases());
          cs.remove(k);
          out.add(List.of(new Switch(sw.selector(), cs)));
        }
      }
    }
    return out;
  }

  /** Single-statement variants: one expression slot or one nested block changed. */
  private static List<Stmt> stmtVariants(Stmt s, List<String> params) {
    List<Stmt> out = new ArrayList<>();
    List<Expr> es = Stmts.exprs(s);
    List<List<Stmt>> bs = Stmts.blocks(s);
    for (int j = 0; j < es.size(); j++) {
      Expr e = es.get(j);
      List<Expr> vs;
      if (s instanceof ForEach) {
        vs = List.of();
      } else if (s instanceof Assign && j == 0) {
        vs = e instanceof Idx ? childVariants(e, params) : List.of();
      } else {
        vs = exprVariants(e, params);
      }
      for (Expr v : vs) {
        List<Expr> ne = new ArrayList<>(es);
        ne.set(j, v);
        out.add(Stmts.with(s, ne, bs));
      }
    }
    for (int k = 0; k < bs.size(); k++) {
      for (List<Stmt> v : blockVariants(bs.get(k), false, params)) {
        List<List<Stmt>> nb = new ArrayList<>(bs);
        nb.set(k, v);
        out.add(Stmts.with(s, es, nb));
      }
    }
    return out;
  }

  static List<Expr> exprVariants(Expr e, List<String> params) {
    List<Expr> out = new ArrayList<>();
    if (e.ty() == Ty.D) {
      if (!(e instanceof Num n && n.text().equals("0.5"))) {
        out.add(Ast.dnum("0.5"));
      }
      for (String p : params) {
        if (!(e instanceof Ref r && r.name().equals(p))) {
          out.add(Ast.dref(p));
        }
      }
    } else if (e.ty() == Ty.I) {
      if (!(e instanceof Num n && n.text().equals("1"))) {
        out.add(Ast.inum(1));
      }
    }
    if (!(e instanceof Idx) && !(e instanceof Len) && !(e instanceof Ast.Copy)) {
      for (Expr c : Ast.children(e)) {
        if (c.ty() == e.ty()) {
          out.add(c);
        }
      }
    }
    out.addAll(childVariants(e, params));
    return out;
  }

  private static List<Expr> childVariants(Expr e, List<String> params) {
    List<Expr> out = new ArrayList<>();
    List<Expr> kids = Ast.children(e);
    for (int k = 0; k < kids.size(); k++) {
      for (Expr v : exprVariants(kids.get(k), params)) {
        List<Expr> nk = new ArrayList<>(kids);
        nk.set(k, v);
        out.add(Ast.withChildren(e, nk));
      }
    }
    return out;
  }
}
