package dev.adjoint.corpus;

import dev.adjoint.corpus.MethodFinder.LineRange;
import dev.adjoint.corpus.Outcome.Verdict;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Runs the corpus over one library: for each candidate method, one at a time, puts
 * {@code @dev.adjoint.Differentiable} on it, runs the processor over the library's whole source set
 * (the other files unchanged), compiles what it generated, checks the gradient, and classifies the
 * result ({@link Outcome.Verdict}).
 */
final class CorpusRunner {
  private static final Pattern TAG = Pattern.compile("^\\[(ADJ\\d{3})\\]");
  private static final String ANNOTATION = "@dev.adjoint.Differentiable ";
  /** A primal that has not finished its sample points by then is left unchecked. */
  private static final long PROBE_SECONDS = 20;
  /** {@code -Dadjoint.corpus.keep=true} keeps each method's generated sources and classes (their directory is printed). */
  private static final boolean KEEP = Boolean.getBoolean("adjoint.corpus.keep");

  private final CorpusCompiler compiler;
  private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "corpus-probe");
    t.setDaemon(true);
    return t;
  });

  CorpusRunner(CorpusCompiler compiler) {
    this.compiler = compiler;
  }

  /** Checks that the library as published compiles here; throws with the errors otherwise. */
  void baseline(Library lib) {
    CorpusCompiler.Result r = compiler.compileAsPublished(lib.sources());
    CorpusCompiler.delete(r.classes());
    if (r.crash() != null || !r.errors().isEmpty()) {
      throw new IllegalStateException("the sources of " + lib.name() + " do not compile as published: "
          + r.errors() + " " + r.crash());
    }
  }

  /** The verdict on {@code m}; {@code found} is what {@link MethodFinder} found in {@code lib}. */
  Outcome run(Library lib, CorpusMethod m, MethodFinder.Found found) {
    Map<String, String> sources = new LinkedHashMap<>(lib.sources());
    String text = sources.get(m.file());
    sources.put(m.file(), text.substring(0, m.insertAt()) + ANNOTATION + text.substring(m.insertAt()));
    CorpusCompiler.Result r = compiler.process(sources);
    if (KEEP) {
      System.out.println(m.id() + ": generated into " + r.classes()); // a debugging aid, asked for by the property
    }
    try {
      Outcome refused = classify(m, r, found);
      if (refused != null) {
        return refused;
      }
      CorpusCompiler.Result generated = compiler.compileGenerated(r.classes());
      if (generated.crash() != null || !generated.errors().isEmpty()) {
        return new Outcome(m, Verdict.CRASH, List.of(), "generated code does not compile",
            generated.crash() != null ? stack(generated.crash()) : describe(generated.errors()));
      }
      return probe(m, r.classes());
    } finally {
      if (!KEEP) {
        CorpusCompiler.delete(r.classes());
      }
    }
  }

  /** The outcome of a processing run that reported errors or crashed, or null when it went through. */
  private Outcome classify(CorpusMethod m, CorpusCompiler.Result r, MethodFinder.Found found) {
    Map<String, List<LineRange>> methodLines = found.methodLines();
    if (r.crash() != null) {
      return new Outcome(m, Verdict.CRASH, List.of(), "compiler exception", stack(r.crash()));
    }
    List<Diagnostic<? extends JavaFileObject>> errors = r.errors();
    if (!errors.isEmpty()) {
      Set<String> tags = new LinkedHashSet<>();
      for (Diagnostic<? extends JavaFileObject> d : errors) {
        String msg = d.getMessage(null);
        Matcher t = TAG.matcher(msg);
        if (!t.find()) {
          return new Outcome(m, Verdict.CRASH, List.of(), "javac error", describe(errors));
        }
        if (t.group(1).equals("ADJ000")) {
          return new Outcome(m, Verdict.CRASH, List.of("ADJ000"), "ADJ000", describe(errors));
        }
        tags.add(t.group(1));
        String src = InMemorySource.pathOf(d.getSource());
        if (src == null || d.getLineNumber() <= 0
            || methodLines.getOrDefault(src, List.of()).stream().noneMatch(l -> l.contains(d.getLineNumber()))) {
          return new Outcome(m, Verdict.BAD_DIAGNOSTIC, List.copyOf(tags), "diagnostic outside every method",
              describe(List.of(d)));
        }
      }
      String first = errors.get(0).getMessage(null);
      return new Outcome(m, Verdict.REFUSED, List.copyOf(tags), reason(first),
          ReasonTemplates.group(first, found.methodNames()), describe(errors));
    }
    return null;
  }

  private Outcome probe(CorpusMethod m, Path classes) {
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(classes.toUri().toURL());
      for (Path p : compiler.classPath()) {
        urls.add(p.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> owner = Class.forName(m.ownerBinaryName(), false, loader);
      Method primal = findPrimal(owner, m);
      if (primal == null) {
        return new Outcome(m, Verdict.CRASH, List.of(), "harness: primal not found", m.id());
      }
      Class<?> gradClass;
      try {
        gradClass = Class.forName(m.gradClassName(), false, loader);
      } catch (ClassNotFoundException e) {
        return new Outcome(m, Verdict.CRASH, List.of(), "no gradient generated",
            "compiled without error, but " + m.gradClassName() + " does not exist");
      }
      Method grad;
      try {
        grad = gradClass.getMethod(m.name(), primal.getParameterTypes());
      } catch (NoSuchMethodException e) {
        return new Outcome(m, Verdict.CRASH, List.of(), "no gradient generated",
            "compiled without error, but " + m.gradClassName() + " has no " + m.name()
                + Arrays.toString(primal.getParameterTypes()));
      }
      if (!SamplePoints.callable(primal.getParameterTypes())) {
        return new Outcome(m, Verdict.UNCALLABLE, List.of(), "parameter types the harness cannot fill",
            Arrays.toString(primal.getParameterTypes()));
      }
      primal.setAccessible(true);
      Future<GradientProbe.Result> f = probes.submit(() -> new GradientProbe(primal, grad, m.paramNames()).run());
      GradientProbe.Result res;
      try {
        res = f.get(PROBE_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        return new Outcome(m, Verdict.UNCHECKED, List.of(), "sample points took over " + PROBE_SECONDS + " s", "");
      } catch (ExecutionException e) {
        return new Outcome(m, Verdict.CRASH, List.of(), "harness exception", stack(e.getCause()));
      }
      if (res.failure() != null) {
        return new Outcome(m, Verdict.WRONG, List.of(), "gradient disagrees", res.failure());
      }
      if (res.trusted() == 0) {
        return new Outcome(m, Verdict.UNCHECKED, List.of(), res.pointsRun() == 0
            ? "primal throws or is not finite at every sample point" : "no trusted coordinate", "");
      }
      return new Outcome(m, Verdict.DIFFERENTIATED, List.of(), "", res.trusted() + " partials checked");
    } catch (IOException | ReflectiveOperationException | LinkageError | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Outcome(m, Verdict.CRASH, List.of(), "loading the compiled classes failed", stack(e));
    }
  }

  private static Method findPrimal(Class<?> owner, CorpusMethod m) {
    for (Method c : owner.getDeclaredMethods()) {
      if (!c.getName().equals(m.name()) || c.getParameterCount() != m.paramTypes().size()) {
        continue;
      }
      boolean same = true;
      for (int i = 0; i < c.getParameterCount() && same; i++) {
        same = c.getParameterTypes()[i].getSimpleName().equals(m.paramTypes().get(i));
      }
      if (same) {
        return c;
      }
    }
    return null;
  }

  /** The first message up to its first ';' (the "what", without the "what to do"). */
  static String reason(String message) {
    int semi = message.indexOf(';');
    String s = semi < 0 ? message : message.substring(0, semi);
    return s.length() > 160 ? s.substring(0, 157) + "..." : s;
  }

  private static String describe(List<Diagnostic<? extends JavaFileObject>> ds) {
    StringBuilder s = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : ds) {
      String where = InMemorySource.pathOf(d.getSource()) != null ? InMemorySource.pathOf(d.getSource())
          : d.getSource() == null ? "(no file)" : d.getSource().getName();
      s.append(where).append(':').append(d.getLineNumber()).append(": ").append(d.getMessage(null)).append('\n');
    }
    return s.toString();
  }

  private static String stack(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    String s = w.toString();
    return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
  }

  void shutdown() {
    probes.shutdownNow();
  }
}
