package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Failure.Category;
import dev.adjoint.processor.fuzz.FuzzHarness.Group;
import dev.adjoint.processor.fuzz.FuzzHarness.Rendered;
import dev.adjoint.processor.fuzz.FuzzHarness.Result;
import dev.adjoint.processor.fuzz.GradientChecker.Outcome;
import dev.adjoint.processor.fuzz.TensorAst.P;
import dev.adjoint.processor.fuzz.TensorAst.Program;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles tensor programs in batches (each program's classes are top-level classes of one
 * file; its generated classes are {@code <Main>Grad} and {@code <Main>BlkGrad}) and checks each
 * at its point seeds with {@link TensorChecker}, under the {@link FuzzHarness}'s watchdog. Not
 * thread-safe; use one per thread.
 */
final class TensorHarness implements AutoCloseable {
  /** The point seeds of a program. */
  interface Seeds {
    List<Long> of(Program p);
  }

  final FuzzHarness harness;

  TensorHarness(long timeoutMillis) {
    harness = new FuzzHarness(timeoutMillis);
  }

  @Override
  public void close() {
    harness.close();
  }

  private static final FuzzHarness.Batcher<Program> BATCHER = new FuzzHarness.Batcher<>() {
    @Override
    public String name(Program p) {
      return p.name();
    }

    @Override
    public Rendered render(List<Program> ps) {
      return TensorHarness.render("TBatch", ps);
    }
  };

  /** One file holding every program's classes; diagnostics are attributed by line or by class. */
  static Rendered render(String file, List<Program> ps) {
    StringBuilder sb = new StringBuilder("package " + FuzzHarness.PKG + ";\n\n" + TensorAst.IMPORTS + "\n");
    int[] first = new int[ps.size()];
    int[] last = new int[ps.size()];
    int line = lines(sb) + 1;
    for (int i = 0; i < ps.size(); i++) {
      String text = TensorAst.print(ps.get(i), ps.get(i).cls()) + "\n";
      first[i] = line;
      line += lines(text);
      last[i] = line - 1;
      sb.append(text);
    }
    return new Rendered(FuzzHarness.PKG + "." + file, file, sb.toString(), d -> owner(d, file, ps, first, last));
  }

  private static int lines(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static String owner(Diagnostic<? extends JavaFileObject> d, String file, List<Program> ps, int[] first,
      int[] last) {
    if (d.getSource() == null || d.getLineNumber() == Diagnostic.NOPOS) {
      return null;
    }
    String path = d.getSource().toUri().getPath();
    long line = d.getLineNumber();
    for (int i = 0; i < ps.size(); i++) {
      String cls = ps.get(i).cls();
      if (path.endsWith("/" + file + ".java") && first[i] <= line && line <= last[i]
          || path.endsWith("/" + cls + "Grad.java") || path.endsWith("/" + cls + "BlkGrad.java")) {
        return ps.get(i).name();
      }
    }
    return null;
  }

  /**
   * Compiles and checks {@code programs}. With {@code validateFirst} the programs are first
   * compiled without the processor and run at their seeds; a program that does not compile, throws
   * or gives a non-finite or huge value is {@link Category#INVALID_PROGRAM} (the shrinker needs
   * this, as for scalar programs).
   */
  Map<String, Result> run(List<Program> programs, Seeds seeds, boolean validateFirst) {
    Map<String, Result> results = new LinkedHashMap<>();
    for (Program p : programs) {
      results.put(p.name(), new Result());
    }
    List<Program> todo = programs;
    if (validateFirst) {
      Map<String, Failure> invalid = validate(programs, seeds);
      todo = new ArrayList<>();
      for (Program p : programs) {
        Failure f = invalid.get(p.name());
        if (f != null) {
          results.get(p.name()).failure = new Failure(Category.INVALID_PROGRAM, f.key(), f.detail(), f.point());
        } else {
          todo.add(p);
        }
      }
    }
    Map<String, Failure> failures = new HashMap<>();
    List<Group<Program>> groups = harness.compileGroups(todo, BATCHER, true, failures);
    failures.forEach((name, f) -> results.get(name).failure = f);
    for (Group<Program> g : groups) {
      for (Program p : g.programs()) {
        results.put(p.name(), check(g.loader(), p.cls(), p.name(), constants(p), seeds.of(p)));
      }
    }
    return results;
  }

  /** The names of the main method's {@code @NoDerivative} parameters. */
  static Set<String> constants(Program p) {
    Set<String> out = new HashSet<>();
    for (P par : p.main().params()) {
      if (par.noDerivative()) {
        out.add(par.name());
      }
    }
    return out;
  }

  /** Checks method {@code name} of class {@code cls} (and {@code cls}Grad) at each seed. */
  Result check(ClassLoader loader, String cls, String name, Set<String> constants, List<Long> seeds) {
    Result res = new Result();
    Class<?> primal;
    Class<?> grad;
    try {
      primal = loader.loadClass(FuzzHarness.PKG + "." + cls);
      grad = loader.loadClass(FuzzHarness.PKG + "." + cls + "Grad");
    } catch (ClassNotFoundException e) {
      res.failure = new Failure(Category.COMPILE_ERROR, "no-gradient-class", "the processor wrote no class " + e.getMessage(), null);
      return res;
    }
    return check(primal, grad, name, constants, seeds);
  }

  /** As above, with the classes loaded. */
  Result check(Class<?> primal, Class<?> grad, String name, Set<String> constants, List<Long> seeds) {
    Result res = new Result();
    if (!hasGradient(grad, name)) {
      res.failure = new Failure(Category.COMPILE_ERROR, "no-gradient-method",
          "the processor reported nothing but wrote no method " + name + " in " + grad.getName(), null);
      return res;
    }
    long[] current = {0};
    long t0 = System.nanoTime();
    try {
      harness.watchdog.run(() -> {
        for (long seed : seeds) {
          current[0] = seed;
          Outcome o = TensorChecker.check(primal, grad, name, constants, seed);
          if (o.primalError != null) {
            res.failure = new Failure(Category.INVALID_PROGRAM, "primal-throws",
                "the primal method threw " + FuzzHarness.stackTrace(o.primalError), TensorChecker.point(seed));
            return null;
          }
          res.coordsChecked += o.coordsChecked;
          res.coordsSkipped += o.coordsSkipped;
          if (o.failure != null) {
            res.failure = o.failure;
            return null;
          }
          if (o.skipped) {
            res.pointsSkipped++;
          } else {
            res.pointsChecked++;
          }
        }
        return null;
      }, harness.timeoutMillis());
    } catch (TimeoutException e) {
      res.failure = new Failure(Category.TIMEOUT, "", "no result after " + harness.timeoutMillis() + " ms",
          TensorChecker.point(current[0]));
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      res.failure = new Failure(Category.EXCEPTION, c.getClass().getSimpleName(), "checking threw "
          + FuzzHarness.stackTrace(c), TensorChecker.point(current[0]));
    } finally {
      harness.checkNanos += System.nanoTime() - t0;
    }
    return res;
  }

  private static boolean hasGradient(Class<?> grad, String name) {
    for (Method m : grad.getDeclaredMethods()) {
      if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) {
        return true;
      }
    }
    return false;
  }

  /** Compiles without the processor and runs each primal at its seeds; returns the failures. */
  Map<String, Failure> validate(List<Program> programs, Seeds seeds) {
    Map<String, Failure> failures = new HashMap<>();
    List<Group<Program>> groups = harness.compileGroups(programs, BATCHER, false, failures);
    for (Group<Program> g : groups) {
      for (Program p : g.programs()) {
        long[] current = {0};
        try {
          Failure f = harness.watchdog.run(() -> {
            Class<?> c = g.loader().loadClass(FuzzHarness.PKG + "." + p.cls());
            for (long seed : seeds.of(p)) {
              current[0] = seed;
              String bad = evaluate(c, p.name(), seed);
              if (bad != null) {
                return new Failure(Category.INVALID_PROGRAM, bad.startsWith("threw") ? "primal-throws" : "unbounded",
                    bad, TensorChecker.point(seed));
              }
            }
            return null;
          }, harness.timeoutMillis());
          if (f != null) {
            failures.put(p.name(), f);
          }
        } catch (TimeoutException e) {
          failures.put(p.name(), new Failure(Category.INVALID_PROGRAM, "timeout", "the primal did not finish",
              TensorChecker.point(current[0])));
        } catch (ExecutionException e) {
          failures.put(p.name(), new Failure(Category.INVALID_PROGRAM, "harness", FuzzHarness.stackTrace(e.getCause()),
              TensorChecker.point(current[0])));
        }
      }
    }
    return failures;
  }

  /** Runs the primal at {@code seed}: null if its result is finite and within the limit, else why not. */
  static String evaluate(Class<?> c, String name, long seed) throws ReflectiveOperationException {
    Method args = c.getDeclaredMethod("fuzzArgs", Random.class);
    args.setAccessible(true);
    Method m = null;
    for (Method k : c.getDeclaredMethods()) {
      if (k.getName().equals(name)) {
        m = k;
        k.setAccessible(true);
      }
    }
    try {
      Object[] all = (Object[]) args.invoke(null, new Random(seed));
      boolean instance = !Modifier.isStatic(m.getModifiers());
      Object[] rest = instance ? java.util.Arrays.copyOfRange(all, 1, all.length) : all;
      Object v = m.invoke(instance ? all[0] : null, rest);
      double[] vs = v instanceof Double d ? new double[] {d} : ((dev.adjoint.tensor.Tensor) v).data();
      for (double x : vs) {
        if (!Double.isFinite(x) || Math.abs(x) > ProgramGenerator.LIMIT) {
          return "returned " + v;
        }
      }
      return null;
    } catch (InvocationTargetException e) {
      return "threw " + FuzzHarness.stackTrace(e.getCause());
    }
  }
}
