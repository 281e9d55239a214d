package dev.adjoint.processor.fuzz;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.Failure.Category;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles many fuzz programs as the methods of one class (javac is slow per compilation, so
 * programs are batched), loads the compiled classes from memory and checks every program's
 * gradient at its points with {@link GradientChecker}.
 *
 * <p>When a batch does not compile, each error is attributed to the program owning its line (in
 * the batch source, or in the generated {@code ...Grad} source by the enclosing method); those
 * programs are recorded as failed and the rest is compiled again. Errors that cannot be
 * attributed (or an exception escaping javac) split the batch in halves until the culprit is alone.
 * A harness is not thread-safe; use one per thread.
 */
final class FuzzHarness implements AutoCloseable {
  static final String PKG = "fuzz";

  /** Per-program result. */
  static final class Result {
    Failure failure;
    int pointsChecked;
    int pointsSkipped;
    int coordsChecked;
    int coordsSkipped;
  }

  /** The points at which to check a program, given its compiled primal method. */
  interface Points {
    List<Point> of(Program p, java.lang.reflect.Method primal);
  }

  /** A batch rendered as one class; {@code first[i]..last[i]} are program i's lines. */
  record BatchSource(String cls, String text, List<Program> programs, int[] first, int[] last) {
    String qualifiedName() {
      return PKG + "." + cls;
    }
  }

  /**
   * How programs of type {@code P} are compiled in batches: their names, and a batch's source
   * with the attribution of a diagnostic to the program it belongs to.
   */
  interface Batcher<P> {
    String name(P p);

    Rendered render(List<P> ps);
  }

  /**
   * A rendered batch: the source of {@code qualifiedName} (file {@code cls}.java) and {@code owner},
   * the name of the program a diagnostic belongs to (or null).
   */
  record Rendered(String qualifiedName, String cls, String text,
      java.util.function.Function<Diagnostic<? extends JavaFileObject>, String> owner) {}

  /** Programs that compiled together, with the class loader holding their classes. */
  record Group<P>(ClassLoader loader, List<P> programs, Rendered source) {}

  /** Scalar programs: one class per batch, a program's methods are named after it. */
  private static Batcher<Program> scalar(String cls) {
    return new Batcher<>() {
      @Override
      public String name(Program p) {
        return p.name();
      }

      @Override
      public Rendered render(List<Program> ps) {
        BatchSource src = FuzzHarness.render(cls, ps);
        return new Rendered(src.qualifiedName(), cls, src.text(), d -> owner(d, src));
      }
    };
  }

  private final long timeoutMillis;
  final Watchdog watchdog = new Watchdog();
  int compilations;
  long compileNanos;
  long checkNanos;

  FuzzHarness(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  @Override
  public void close() {
    watchdog.close();
  }

  // ------------------------------------------------------------------------------------------ running

  /**
   * Compiles {@code programs} (as class {@code cls}) and checks each at its points. With
   * {@code validateFirst} the batch is first run through {@link #validate} (compiled without the
   * processor, primal run at 3 random points) and programs that fail are reported as
   * {@link Category#INVALID_PROGRAM}: the shrinker needs this for compile failures, since the
   * processor may report its own error for code that is not even valid Java, and a program that
   * compiles may still index out of bounds once the compile failure is fixed.
   */
  Map<String, Result> run(List<Program> programs, String cls, Points points, boolean validateFirst) {
    Map<String, Result> results = new LinkedHashMap<>();
    for (Program p : programs) {
      results.put(p.name(), new Result());
    }
    List<Program> todo = programs;
    if (validateFirst) {
      Map<String, Result> valid = validate(programs, cls, (p, m) -> {
        java.util.Random r = new java.util.Random(p.name().hashCode());
        return List.of(Point.random(m, r), Point.random(m, r), Point.random(m, r));
      });
      todo = new ArrayList<>();
      for (Program p : programs) {
        Failure f = valid.get(p.name()).failure;
        if (f != null) {
          results.get(p.name()).failure = new Failure(Category.INVALID_PROGRAM, f.key(), f.detail(), null);
        } else {
          todo.add(p);
        }
      }
    }
    Map<String, Failure> compileFailures = new HashMap<>();
    List<Group<Program>> groups = compileGroups(todo, scalar(cls), true, compileFailures);
    compileFailures.forEach((name, f) -> results.get(name).failure = f);
    for (Group<Program> g : groups) {
      Class<?> primal;
      Class<?> grad;
      try {
        primal = g.loader().loadClass(g.source().qualifiedName());
        grad = g.loader().loadClass(g.source().qualifiedName() + "Grad");
      } catch (ClassNotFoundException e) {
        for (Program p : g.programs()) {
          results.get(p.name()).failure = new Failure(Category.COMPILE_ERROR, "no-gradient-class",
              "the processor wrote no class " + e.getMessage(), null);
        }
        continue;
      }
      for (Program p : g.programs()) {
        results.put(p.name(), check(primal, grad, p.name(), mp -> points.of(p, mp), true));
      }
    }
    return results;
  }

  /**
   * Checks the generator rather than the processor: compiles {@code programs} without the
   * processor and runs each primal at its points. Any javac error, exception, non-finite result,
   * value beyond {@link ProgramGenerator#LIMIT} or time-out is an {@link Category#INVALID_PROGRAM}.
   */
  Map<String, Result> validate(List<Program> programs, String cls, Points points) {
    Map<String, Result> results = new LinkedHashMap<>();
    for (Program p : programs) {
      results.put(p.name(), new Result());
    }
    Map<String, Failure> failures = new HashMap<>();
    List<Group<Program>> groups = compileGroups(programs, scalar(cls), false, failures);
    failures.forEach((name, f) -> results.get(name).failure = f);
    for (Group<Program> g : groups) {
      Class<?> primalClass;
      try {
        primalClass = g.loader().loadClass(g.source().qualifiedName());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      for (Program p : g.programs()) {
        Result res = results.get(p.name());
        java.lang.reflect.Method primal = find(primalClass, p.name());
        Point[] current = {null};
        try {
          watchdog.run(() -> {
            for (Point pt : points.of(p, primal)) {
              current[0] = pt;
              double v;
              try {
                v = GradientChecker.invoke(primal, pt.copy());
              } catch (java.lang.reflect.InvocationTargetException e) {
                res.failure = new Failure(Category.INVALID_PROGRAM, "primal-throws", "threw " + stackTrace(e.getCause()), pt);
                return null;
              }
              if (!Double.isFinite(v) || Math.abs(v) > ProgramGenerator.LIMIT) {
                res.failure = new Failure(Category.INVALID_PROGRAM, "unbounded", "returned " + v, pt);
                return null;
              }
              res.pointsChecked++;
            }
            return null;
          }, timeoutMillis);
        } catch (TimeoutException e) {
          res.failure = new Failure(Category.INVALID_PROGRAM, "timeout", "the primal did not finish", current[0]);
        } catch (ExecutionException e) {
          res.failure = new Failure(Category.INVALID_PROGRAM, "harness", stackTrace(e.getCause()), current[0]);
        }
      }
    }
    return results;
  }

  /** Checks method {@code name} of a compiled class and its gradient, under the watchdog. */
  Result check(Class<?> primalClass, Class<?> gradClass, String name,
      java.util.function.Function<java.lang.reflect.Method, List<Point>> points, boolean strict) {
    return check(primalClass, gradClass, name, points, strict, name);
  }

  /** As above, with the gradient method named {@code gradName}. */
  Result check(Class<?> primalClass, Class<?> gradClass, String name,
      java.util.function.Function<java.lang.reflect.Method, List<Point>> points, boolean strict, String gradName) {
    Result res = new Result();
    java.lang.reflect.Method primal = find(primalClass, name);
    java.lang.reflect.Method grad = find(gradClass, gradName);
    if (primal == null) {
      res.failure = new Failure(Category.INVALID_PROGRAM, "no-primal", "no method " + name + " in " + primalClass, null);
      return res;
    }
    if (grad == null) {
      res.failure = new Failure(Category.COMPILE_ERROR, "no-gradient-method",
          "the processor reported nothing but wrote no method " + name + " in " + gradClass.getName(), null);
      return res;
    }
    List<Point> pts = points.apply(primal);
    long t0 = System.nanoTime();
    try {
      checkAll(primal, grad, pts, strict, res);
    } finally {
      checkNanos += System.nanoTime() - t0;
    }
    return res;
  }

  private void checkAll(java.lang.reflect.Method primal, java.lang.reflect.Method grad, List<Point> pts, boolean strict,
      Result res) {
    Point[] current = {null};
    try {
      watchdog.run(() -> {
        for (Point p : pts) {
          current[0] = p;
          GradientChecker.Outcome o = GradientChecker.check(primal, grad, p, strict);
          if (o.primalError != null) {
            res.failure = new Failure(Category.INVALID_PROGRAM, "primal-throws",
                "the primal method threw " + o.primalError, p);
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
      }, timeoutMillis);
    } catch (TimeoutException e) {
      res.failure = new Failure(Category.TIMEOUT, "", "no result after " + timeoutMillis + " ms", current[0]);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      res.failure = new Failure(Category.EXCEPTION, c.getClass().getSimpleName(), "checking threw " + stackTrace(c), null);
    }
  }

  private static java.lang.reflect.Method find(Class<?> c, String name) {
    for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name) && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        m.setAccessible(true);
        return m;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------ compiling

  static BatchSource render(String cls, List<Program> programs) {
    Ast.Printer pr = new Ast.Printer();
    pr.raw("package " + PKG + ";\n\nimport dev.adjoint.Differentiable;\nimport dev.adjoint.Mode;\n\n");
    pr.raw("class " + cls + " {\n");
    int[] first = new int[programs.size()];
    int[] last = new int[programs.size()];
    for (int i = 0; i < programs.size(); i++) {
      first[i] = pr.line();
      pr.program(programs.get(i), "  ");
      last[i] = pr.line() - 1;
    }
    pr.raw(Ast.VALUE_OBJECT_HELPERS);
    pr.raw("}\n");
    return new BatchSource(cls, pr.toString(), List.copyOf(programs), first, last);
  }

  /**
   * {@code adjoint.fuzz.checkFinite}: {@code true} compiles every batch with
   * {@code -Aadjoint.checkFinite=true}, {@code false} none, and by default every other batch (by
   * name), so the checked gradients meet every feature; a point where the gradient throws
   * {@code NonFiniteAdjointException} is skipped, as a non-finite gradient is without the option.
   */
  static final String CHECK_FINITE = System.getProperty("adjoint.fuzz.checkFinite", "half");
  /**
   * {@code adjoint.fuzz.savesAll}: {@code true}, {@code false} or by default {@code half} (by name,
   * independently of the above): batches compiled with {@code -Aadjoint.saves=all}, the plan that
   * tapes every overwritten value, so both plans meet the oracle.
   */
  static final String SAVES_ALL = System.getProperty("adjoint.fuzz.savesAll", "half");
  /**
   * {@code adjoint.fuzz.tapeBudget}: {@code true}, {@code false} or by default {@code half} (by name,
   * independently of the above): batches compiled with {@code -Aadjoint.tapeBudget=64}, so that the
   * unlabelled top-level loops a {@code checkpoint:} label would fit tape a few iterations and are
   * checkpointed past them.
   */
  static final String TAPE_BUDGET = System.getProperty("adjoint.fuzz.tapeBudget", "half");

  static Compilation compile(String qualifiedName, String source, boolean withProcessor) {
    JavaFileObject file = JavaFileObjects.forSourceString(qualifiedName, source);
    if (withProcessor) {
      List<String> options = new java.util.ArrayList<>(List.of("-parameters"));
      if (chosen(CHECK_FINITE, qualifiedName.hashCode())) {
        options.add("-Aadjoint.checkFinite=true");
      }
      if (chosen(SAVES_ALL, qualifiedName.hashCode() / 2)) {
        options.add("-Aadjoint.saves=all");
      }
      if (chosen(TAPE_BUDGET, qualifiedName.hashCode() / 4)) {
        options.add("-Aadjoint.tapeBudget=64");
      }
      // a regression file may name the options it failed with: `// options: -Aadjoint.tapeBudget=64`
      java.util.regex.Matcher named = java.util.regex.Pattern.compile("(?m)^// options: (.+)$").matcher(source);
      while (named.find()) {
        for (String option : named.group(1).trim().split("\\s+")) {
          if (!options.contains(option)) {
            options.add(option);
          }
        }
      }
      return javac().withProcessors(new AdjointProcessor()).withOptions(options).compile(file);
    }
    return javac().withOptions("-parameters", "-proc:none").compile(file);
  }

  private static boolean chosen(String setting, int hash) {
    return setting.equals("true") || setting.equals("half") && Math.floorMod(hash, 2) == 1;
  }

  /**
   * Compiles {@code programs}, splitting off programs that fail; returns the loadable groups and
   * puts a failure for every program that did not compile into {@code failures}.
   */
  <P> List<Group<P>> compileGroups(List<P> programs, Batcher<P> batcher, boolean withProcessor,
      Map<String, Failure> failures) {
    List<Group<P>> out = new ArrayList<>();
    Deque<List<P>> work = new ArrayDeque<>();
    if (!programs.isEmpty()) {
      work.push(programs);
    }
    while (!work.isEmpty()) {
      List<P> cur = new ArrayList<>(work.pop());
      while (!cur.isEmpty()) {
        Rendered src = batcher.render(cur);
        Compilation c;
        compilations++;
        long t0 = System.nanoTime();
        // generous: a normal compilation takes about 20 ms per scalar program, 100 ms per tensor
        // program, several times that on a loaded machine
        long limit = Math.max(20_000L, 1_000L * cur.size());
        try {
          c = watchdog.run(() -> compile(src.qualifiedName(), src.text(), withProcessor), limit);
        } catch (TimeoutException | ExecutionException e) {
          Throwable t = e instanceof ExecutionException ? e.getCause() : e;
          if (cur.size() == 1) {
            failures.put(batcher.name(cur.get(0)), t instanceof TimeoutException
                ? new Failure(Category.TIMEOUT, "compile", "compiling did not finish in " + limit + " ms", null)
                : new Failure(Category.PROCESSOR_CRASH, t.getClass().getSimpleName(), "compiling threw " + stackTrace(t), null));
          } else {
            split(cur, work);
          }
          break;
        } finally {
          compileNanos += System.nanoTime() - t0;
        }
        if (c.status() == Compilation.Status.SUCCESS) {
          out.add(new Group<>(load(c), List.copyOf(cur), src));
          break;
        }
        Map<String, List<Diagnostic<? extends JavaFileObject>>> byProgram = new LinkedHashMap<>();
        List<Diagnostic<? extends JavaFileObject>> unattributed = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
          String owner = src.owner().apply(d);
          if (owner == null) {
            unattributed.add(d);
          } else {
            byProgram.computeIfAbsent(owner, k -> new ArrayList<>()).add(d);
          }
        }
        if (!byProgram.isEmpty()) {
          byProgram.forEach((name, ds) -> failures.put(name, classify(ds, src.cls(), withProcessor)));
          cur.removeIf(p -> byProgram.containsKey(batcher.name(p)));
          continue;
        }
        if (cur.size() == 1) {
          failures.put(batcher.name(cur.get(0)), classify(unattributed, src.cls(), withProcessor));
          break;
        }
        split(cur, work);
        break;
      }
    }
    return out;
  }

  private static <P> void split(List<P> cur, Deque<List<P>> work) {
    int half = cur.size() / 2;
    work.push(new ArrayList<>(cur.subList(half, cur.size())));
    work.push(new ArrayList<>(cur.subList(0, half)));
  }

  private static final Pattern TAG = Pattern.compile("\\[(ADJ\\d+)\\]");
  /** A method declaration in generated code (at least one modifier, a type, the name). */
  private static final Pattern GRAD_METHOD = Pattern.compile(
      "^\\s*(?:(?:public|private|protected|static|final)\\s+)+[\\w.<>\\[\\], ?]+\\s+(\\w+)\\s*\\(");

  /** The name of the program that diagnostic {@code d} belongs to, or null. */
  private static String owner(Diagnostic<? extends JavaFileObject> d, BatchSource src) {
    JavaFileObject f = d.getSource();
    long line = d.getLineNumber();
    if (f == null || line == Diagnostic.NOPOS) {
      return null;
    }
    String path = f.toUri().getPath();
    if (path.endsWith("/" + src.cls() + ".java")) {
      for (int i = 0; i < src.programs().size(); i++) {
        if (src.first()[i] <= line && line <= src.last()[i]) {
          return src.programs().get(i).name();
        }
      }
      return null;
    }
    if (path.endsWith("/" + src.cls() + "Grad.java")) {
      String text;
      try {
        text = f.getCharContent(true).toString();
      } catch (IOException e) {
        return null;
      }
      String[] lines = text.split("\n", -1);
      for (int i = (int) Math.min(line, lines.length) - 1; i >= 0; i--) {
        Matcher m = GRAD_METHOD.matcher(lines[i]);
        if (m.find()) {
          return programOf(m.group(1), src.programs());
        }
      }
    }
    return null;
  }

  /**
   * The program a generated method belongs to: its name starts with the program's name, not
   * followed by a digit ({@code p1} is not {@code p12}'s prefix; {@code p12_h0}, {@code p12_h0Tape}
   * belong to {@code p12}).
   */
  private static String programOf(String method, List<Program> programs) {
    for (Program p : programs) {
      String n = p.name();
      if (method.startsWith(n) && (method.length() == n.length() || !Character.isDigit(method.charAt(n.length())))) {
        return n;
      }
    }
    return null;
  }

  private static Failure classify(List<Diagnostic<? extends JavaFileObject>> ds, String cls, boolean withProcessor) {
    StringBuilder detail = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : ds) {
      if (detail.length() > 0) {
        detail.append("\n  ");
      }
      String file = d.getSource() == null ? "?" : d.getSource().getName();
      detail.append(file.substring(file.lastIndexOf('/') + 1)).append(':').append(d.getLineNumber()).append(": ")
          .append(d.getMessage(null));
    }
    Diagnostic<? extends JavaFileObject> first = ds.isEmpty() ? null : ds.get(0);
    if (first == null) {
      return new Failure(Category.PROCESSOR_CRASH, "no-diagnostic", "compilation failed without an error", null);
    }
    for (Diagnostic<? extends JavaFileObject> d : ds) {
      Matcher m = TAG.matcher(d.getMessage(null));
      if (m.find()) {
        return new Failure(Category.COMPILE_ERROR, m.group(1), detail.toString(), null);
      }
    }
    String path = first.getSource() == null ? "" : first.getSource().toUri().getPath();
    if (withProcessor && path.endsWith("Grad.java")) {
      return new Failure(Category.GENERATED_CODE_ERROR, first.getCode(), detail.toString(), null);
    }
    if (!withProcessor || path.endsWith("/" + cls + ".java")) {
      return new Failure(Category.INVALID_PROGRAM, first.getCode(), detail.toString(), null);
    }
    return new Failure(Category.PROCESSOR_CRASH, first.getCode(), detail.toString(), null);
  }

  /** The classes of a successful compilation, in a fresh class loader. */
  static ClassLoader load(Compilation c) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = f.toUri().getPath();
      int at = path.indexOf("CLASS_OUTPUT/");
      String rel = at >= 0 ? path.substring(at + "CLASS_OUTPUT/".length()) : path.replaceFirst("^/", "");
      String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
      try (InputStream in = f.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return new MemoryClassLoader(classes, FuzzHarness.class.getClassLoader());
  }

  private static final class MemoryClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    MemoryClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String s = w.toString();
    String[] lines = s.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, 12); i++) {
      sb.append(i > 0 ? "\n    " : "").append(lines[i].strip());
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------------------------------ watchdog

  /** Runs tasks on a worker thread with a time limit; a task past its limit is stopped. */
  static final class Watchdog implements AutoCloseable {
    private ExecutorService exec;
    private volatile Thread worker;

    Watchdog() {
      exec = newExecutor();
    }

    private ExecutorService newExecutor() {
      return Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "adjoint-fuzz-worker");
        t.setDaemon(true);
        worker = t;
        return t;
      });
    }

    <T> T run(Callable<T> task, long millis) throws TimeoutException, ExecutionException {
      Future<T> f = exec.submit(task);
      try {
        return f.get(millis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        Thread stuck = worker;
        exec.shutdownNow();
        stop(stuck);
        exec = newExecutor();
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Thread.stop still works on JDK 17-19; later JDKs leave a stuck daemon thread behind. */
    private static void stop(Thread t) {
      if (t == null) {
        return;
      }
      try {
        Thread.class.getMethod("stop").invoke(t);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not supported on this JDK
      }
    }

    @Override
    public void close() {
      exec.shutdownNow();
    }
  }
}
