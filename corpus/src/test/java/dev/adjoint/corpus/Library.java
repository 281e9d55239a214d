package dev.adjoint.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One published library of the corpus: the source files of the chosen packages, as unpacked by
 * maven-dependency-plugin into {@code target/corpus-sources/<name>}, read into memory by relative path.
 */
record Library(String name, String description, Map<String, String> sources) {

  /** The libraries of the corpus, in report order; what is unpacked is fixed in corpus/pom.xml. */
  static final List<String> NAMES = List.of("commons-numbers-gamma", "finmath-lib", "jts-core");

  private static final Map<String, String> DESCRIPTIONS = Map.of(
      "commons-numbers-gamma", "org.apache.commons:commons-numbers-gamma 1.2, package org.apache.commons.numbers.gamma",
      "finmath-lib", "net.finmath:finmath-lib 6.0.19, package net.finmath.functions",
      "jts-core", "org.locationtech.jts:jts-core 1.20.0, packages org.locationtech.jts.algorithm and"
          + " org.locationtech.jts.math (not their sub-packages)");

  /** Reads library {@code name} from under {@code root} (the unpack directory). */
  static Library load(Path root, String name) {
    Path dir = root.resolve(name);
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (p.getFileName().toString().equals("package-info.java")) {
          continue;
        }
        sources.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the unpacked sources of " + name + " under " + dir
          + " (run the build through Maven, which unpacks them)", e);
    }
    if (sources.isEmpty()) {
      throw new IllegalStateException("no sources of " + name + " under " + dir);
    }
    return new Library(name, DESCRIPTIONS.get(name), sources);
  }
}
