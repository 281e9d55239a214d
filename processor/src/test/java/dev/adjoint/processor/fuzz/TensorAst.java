package dev.adjoint.processor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The model of a tensor fuzz program (see {@link TensorGenerator}): typed expression templates,
 * a few statement forms, methods, and the classes a program prints as. Nodes are immutable; the
 * {@link TensorShrinker} rebuilds them.
 */
final class TensorAst {
  private TensorAst() {}

  /** A value type: {@code double}, {@code boolean}, or a tensor of a fixed shape. */
  record Ty(char kind, List<Integer> shape) {
    static final Ty D = new Ty('d', null);
    static final Ty B = new Ty('b', null);

    static Ty tensor(Integer... shape) {
      return new Ty('t', List.of(shape));
    }

    static Ty tensor(List<Integer> shape) {
      return new Ty('t', List.copyOf(shape));
    }

    boolean isTensor() {
      return kind == 't';
    }

    int numel() {
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    /** The shape as {@code 2, 3} (for {@code reshape(...)} and factories). */
    String dims() {
      StringJoiner j = new StringJoiner(", ");
      shape.forEach(d -> j.add(Integer.toString(d)));
      return j.toString();
    }

    String javaType() {
      return switch (kind) {
        case 'd' -> "double";
        case 'b' -> "boolean";
        default -> "Tensor";
      };
    }

    @Override
    public String toString() {
      return isTensor() ? "Tensor" + shape : javaType();
    }
  }

  /**
   * An expression: {@code template} with {@code #0}, {@code #1}, ... standing for the printed
   * {@code kids}; {@code mag} bounds the magnitude of its elements (for the generator).
   */
  record E(Ty ty, String template, List<E> kids, double mag) {
    static E leaf(Ty ty, String text, double mag) {
      return new E(ty, text, List.of(), mag);
    }

    static E of(Ty ty, double mag, String template, E... kids) {
      return new E(ty, template, List.of(kids), mag);
    }

    /** This expression with the largest bound of its kids (for {@code ?:}). */
    E withMag() {
      double m = 0;
      for (E k : kids) {
        m = Math.max(m, k.mag());
      }
      return new E(ty, template, kids, m);
    }

    E withKids(List<E> k) {
      return new E(ty, template, List.copyOf(k), mag);
    }

    String print() {
      if (kids.isEmpty()) {
        return template;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < template.length(); i++) {
        char c = template.charAt(i);
        if (c == '#' && i + 1 < template.length() && Character.isDigit(template.charAt(i + 1))) {
          sb.append(kids.get(template.charAt(i + 1) - '0').print());
          i++;
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    int size() {
      int n = 1;
      for (E k : kids) {
        n += k.size();
      }
      return n;
    }
  }

  /** A statement. */
  sealed interface S permits Decl, Assign, If, For, ForEach, Return {}

  /** {@code T name = init;}. */
  record Decl(String name, E init) implements S {}

  /** {@code name op value;} with op {@code =} or a compound one ({@code +=}, {@code -=}, {@code *=}). */
  record Assign(String name, String op, E value) implements S {
    Assign(String name, E value) {
      this(name, "=", value);
    }
  }

  /** {@code if (cond) { then } else { els }}. */
  record If(E cond, List<S> then, List<S> els) implements S {}

  /** {@code for (int var = 0; var < bound; var++) { body }}; bound a literal or a length ({@code blocks.size()}). */
  record For(String var, String bound, List<S> body) implements S {}

  /** {@code for (type var : over) { body }} over a list of sub-modules. */
  record ForEach(String type, String var, String over, List<S> body) implements S {}

  record Return(E value) implements S {}

  /** A parameter; {@code noDerivative} parameters are constants. */
  record P(Ty ty, String name, boolean noDerivative) {}

  /** A {@code @Differentiable} method; instance methods belong to a model class. */
  record M(boolean isStatic, Ty result, String name, List<P> params, List<S> body) {
    M withBody(List<S> b) {
      return new M(isStatic, result, name, params, b);
    }
  }

  /** A tensor field of a model or block: {@code final Tensor name} of {@code ty}'s shape. */
  record Field(String name, Ty ty) {}

  /**
   * A sub-module class {@code <Main>Blk} with tensor fields and {@code Tensor forward(Tensor h)};
   * the model holds {@code head} (when {@code head}), a list {@code blocks} of {@code count} and,
   * when {@code heads > 0}, an array {@code heads} of that many.
   */
  record Block(List<Field> fields, M forward, boolean head, int count, int heads) {
    Block with(M f, boolean h, int c, int hs) {
      return new Block(fields, f, h, c, hs);
    }
  }

  /**
   * One program: class {@code <Main>} with {@code helpers} and the checked method {@code main};
   * when {@code model} is set, {@code <Main>} is a model (its tensor {@code fields} are
   * parameters, {@code main} an instance method) and {@code block} its sub-module class.
   * Arguments come from {@code fuzzArgs(Random)} printed into the class, so a program file
   * reproduces its points from a seed alone.
   */
  record Program(String name, List<M> helpers, M main, boolean model, List<Field> fields, Block block) {
    Program withHelpers(List<M> hs) {
      return new Program(name, hs, main, model, fields, block);
    }

    Program withMain(M m) {
      return new Program(name, helpers, m, model, fields, block);
    }

    Program withBlock(Block b) {
      return new Program(name, helpers, main, model, fields, b);
    }

    Program withFields(List<Field> fs) {
      return new Program(name, helpers, main, model, fs, block);
    }

    /** The name of the main class: the program name capitalised ({@code t17} → {@code T17}). */
    String cls() {
      return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    Program renamed(String n) {
      return new Program(n, helpers, main, model, fields, block);
    }
  }

  // ------------------------------------------------------------------------------------------ size

  static int size(Program p) {
    int n = size(p.main().body());
    for (M h : p.helpers()) {
      n += 1 + size(h.body());
    }
    if (p.block() != null) {
      n += 1 + p.block().count() + p.block().heads() + size(p.block().forward().body());
    }
    return n + p.fields().size();
  }

  static int size(List<S> b) {
    int n = 0;
    for (S s : b) {
      n += size(s);
    }
    return n;
  }

  static int size(S s) {
    if (s instanceof Decl d) {
      return 1 + d.init().size();
    } else if (s instanceof Assign a) {
      return 1 + a.value().size();
    } else if (s instanceof If i) {
      return 1 + i.cond().size() + size(i.then()) + size(i.els());
    } else if (s instanceof For f) {
      return 1 + size(f.body());
    } else if (s instanceof ForEach f) {
      return 1 + size(f.body());
    }
    return 1 + ((Return) s).value().size();
  }

  // ------------------------------------------------------------------------------------------ printing

  /** The imports every rendered tensor program needs. */
  static final String IMPORTS = "import dev.adjoint.Differentiable;\nimport dev.adjoint.Mode;\nimport dev.adjoint.NoDerivative;\n"
      + "import dev.adjoint.nn.Layers;\nimport dev.adjoint.nn.Loss;\nimport dev.adjoint.tensor.Tensor;\n"
      + "import java.util.List;\nimport java.util.Random;\n";

  /** A complete compilation unit holding one program whose main class is {@code cls}. */
  static String unit(String pkg, String cls, List<String> headerComments, Program p) {
    StringBuilder sb = new StringBuilder();
    for (String h : headerComments) {
      sb.append("// ").append(h).append('\n');
    }
    sb.append("package ").append(pkg).append(";\n\n").append(IMPORTS).append('\n');
    sb.append(print(p, cls));
    return sb.toString();
  }

  /** The program's classes ({@code cls} and, for a model with a block, {@code cls}Blk). */
  static String print(Program p, String cls) {
    StringBuilder sb = new StringBuilder();
    String blk = cls + "Blk";
    sb.append("final class ").append(cls).append(" {\n");
    if (p.model()) {
      for (Field f : p.fields()) {
        sb.append("  final Tensor ").append(f.name()).append(";\n");
      }
      Block b = p.block();
      if (b != null && b.head()) {
        sb.append("  final ").append(blk).append(" head;\n");
      }
      if (b != null) {
        sb.append("  final List<").append(blk).append("> blocks;\n");
      }
      if (b != null && b.heads() > 0) {
        sb.append("  final ").append(blk).append("[] heads;\n");
      }
      sb.append("\n  ").append(cls).append("(Random r) {\n");
      for (Field f : p.fields()) {
        sb.append("    ").append(f.name()).append(" = ").append(random(f.ty())).append(".requiresGrad(true);\n");
      }
      if (b != null && b.head()) {
        sb.append("    head = new ").append(blk).append("(r);\n");
      }
      if (b != null) {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < b.count(); i++) {
          j.add("new " + blk + "(r)");
        }
        sb.append("    blocks = List.of(").append(j).append(");\n");
        if (b.heads() > 0) {
          StringJoiner hs = new StringJoiner(", ");
          for (int i = 0; i < b.heads(); i++) {
            hs.add("new " + blk + "(r)");
          }
          sb.append("    heads = new ").append(blk).append("[] {").append(hs).append("};\n");
        }
      }
      sb.append("  }\n");
    }
    sb.append("\n  /** The arguments of one evaluation").append(p.model() ? ", the model first" : "").append(". */\n");
    sb.append("  static Object[] fuzzArgs(Random r) {\n    return new Object[] {");
    StringJoiner args = new StringJoiner(", ");
    if (p.model()) {
      args.add("new " + cls + "(r)");
    }
    for (P par : p.main().params()) {
      args.add(par.ty().isTensor() ? random(par.ty()) : "-2 + 4 * r.nextDouble()");
    }
    sb.append(args).append("};\n  }\n");
    for (M h : p.helpers()) {
      method(sb, h, "  ", p.name(), cls);
    }
    method(sb, p.main(), "  ", p.name(), cls, modesOf(p));
    sb.append("}\n");
    if (p.block() != null) {
      Block b = p.block();
      sb.append("\nfinal class ").append(blk).append(" {\n");
      for (Field f : b.fields()) {
        sb.append("  final Tensor ").append(f.name()).append(";\n");
      }
      sb.append("\n  ").append(blk).append("(Random r) {\n");
      for (Field f : b.fields()) {
        sb.append("    ").append(f.name()).append(" = ").append(random(f.ty())).append(".requiresGrad(true);\n");
      }
      sb.append("  }\n");
      method(sb, b.forward(), "  ", p.name(), cls);
      sb.append("}\n");
    }
    return sb.toString();
  }

  private static String random(Ty t) {
    return t.shape().isEmpty() ? "Tensor.scalar(-1 + 2 * r.nextDouble())" : "Tensor.rand(r, -1, 1, " + t.dims() + ")";
  }

  /**
   * For the fraction {@link Ast#MODES} of programs (chosen by name, as {@link Ast}'s scalar
   * programs are), the method under test gets forward mode too, so its {@code mJvp} is checked;
   * its helpers and sub-modules get theirs because a forward-mode method calls them.
   */
  static String modesOf(Program p) {
    if (Math.floorMod(p.name().hashCode() * 0x9E3779B9, 1000) >= Ast.MODES * 1000) {
      return "";
    }
    return "(modes = {Mode.REVERSE, Mode.FORWARD})";
  }

  private static void method(StringBuilder sb, M m, String ind, String progName, String cls) {
    method(sb, m, ind, progName, cls, "");
  }

  private static void method(StringBuilder sb, M m, String ind, String progName, String cls, String modes) {
    StringJoiner sig = new StringJoiner(", ");
    for (P p : m.params()) {
      sig.add((p.noDerivative() ? "@NoDerivative " : "") + p.ty().javaType() + " " + p.name());
    }
    sb.append('\n').append(ind).append("@Differentiable").append(modes).append('\n').append(ind).append(m.isStatic() ? "static " : "")
        .append(m.result().javaType()).append(' ').append(m.name().replace("$", progName)).append('(').append(sig).append(") {\n");
    block(sb, m.body(), ind + "  ", progName, cls);
    sb.append(ind).append("}\n");
  }

  private static void block(StringBuilder sb, List<S> b, String ind, String progName, String cls) {
    for (S s : b) {
      stmt(sb, s, ind, progName, cls);
    }
  }

  private static void stmt(StringBuilder sb, S s, String ind, String progName, String cls) {
    if (s instanceof Decl d) {
      sb.append(ind).append(d.init().ty().javaType()).append(' ').append(d.name()).append(" = ")
          .append(text(d.init(), progName, cls)).append(";\n");
    } else if (s instanceof Assign a) {
      sb.append(ind).append(a.name()).append(' ').append(a.op()).append(' ').append(text(a.value(), progName, cls))
          .append(";\n");
    } else if (s instanceof If i) {
      sb.append(ind).append("if (").append(text(i.cond(), progName, cls)).append(") {\n");
      block(sb, i.then(), ind + "  ", progName, cls);
      if (!i.els().isEmpty()) {
        sb.append(ind).append("} else {\n");
        block(sb, i.els(), ind + "  ", progName, cls);
      }
      sb.append(ind).append("}\n");
    } else if (s instanceof For f) {
      sb.append(ind).append("for (int ").append(f.var()).append(" = 0; ").append(f.var()).append(" < ")
          .append(f.bound()).append("; ").append(f.var()).append("++) {\n");
      block(sb, f.body(), ind + "  ", progName, cls);
      sb.append(ind).append("}\n");
    } else if (s instanceof ForEach f) {
      sb.append(ind).append("for (").append(f.type().replace("$Blk", cls + "Blk")).append(' ').append(f.var())
          .append(" : ").append(f.over()).append(") {\n");
      block(sb, f.body(), ind + "  ", progName, cls);
      sb.append(ind).append("}\n");
    } else {
      sb.append(ind).append("return ").append(text(((Return) s).value(), progName, cls)).append(";\n");
    }
  }

  /** An expression's text; {@code $} in templates stands for the program name (helper calls). */
  private static String text(E e, String progName, String cls) {
    return e.print().replace("$", progName);
  }

  /** Every expression of a block, outermost first (for statistics and the shrinker). */
  static List<E> exprs(List<S> b) {
    List<E> out = new ArrayList<>();
    for (S s : b) {
      if (s instanceof Decl d) {
        out.add(d.init());
      } else if (s instanceof Assign a) {
        out.add(a.value());
      } else if (s instanceof If i) {
        out.add(i.cond());
        out.addAll(exprs(i.then()));
        out.addAll(exprs(i.els()));
      } else if (s instanceof For f) {
        out.addAll(exprs(f.body()));
      } else if (s instanceof ForEach f) {
        out.addAll(exprs(f.body()));
      } else {
        out.add(((Return) s).value());
      }
    }
    return out;
  }
}
