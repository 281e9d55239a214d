package dev.adjoint.corpus;

import java.util.List;

/**
 * One candidate of the corpus: a static method with a double or float result and at least one
 * double, float, double[] or double[][] parameter, as found in a library's source.
 *
 * @param file the source file's path relative to the library root
 * @param ownerBinaryName the declaring class as {@code Class.forName} wants it ({@code p.Outer$Inner})
 * @param gradClassName the class the processor generates for the owner ({@code p.Outer_InnerGrad})
 * @param paramTypes the parameters' types as written, generics and qualification removed
 * @param insertAt the offset in the file where {@code @Differentiable} goes (the declaration's start)
 * @param firstLine the declaration's first line
 * @param lastLine the line of its closing brace
 */
record CorpusMethod(String file, String ownerBinaryName, String gradClassName, String name,
    List<String> paramTypes, List<String> paramNames, String resultType, int insertAt, int firstLine, int lastLine) {

  /** A readable, unique-enough id: {@code Owner.name(double, int)}. */
  String id() {
    String owner = ownerBinaryName.substring(ownerBinaryName.lastIndexOf('.') + 1).replace('$', '.');
    return owner + "." + name + "(" + String.join(", ", paramTypes) + ")";
  }
}
