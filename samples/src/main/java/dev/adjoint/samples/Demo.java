package dev.adjoint.samples;

/** The README's demo: runs every seed sample in turn. */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    Seed002Graph.main(args);
    System.out.println();
    Seed000Scalar.main(args);
    System.out.println();
    System.out.println("generated gradient sources: samples/target/generated-sources/annotations/dev/adjoint/samples/");
  }
}
