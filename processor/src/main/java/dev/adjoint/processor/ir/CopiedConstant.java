package dev.adjoint.processor.ir;

/**
 * A private {@code static final} field of the user's class that differentiable code reads and the
 * generated class cannot: copied into the generated class under the same name, with its
 * initializer as written (names in it qualified so that they mean the same there).
 *
 * @param name the field's name, also the copy's
 * @param type the field's type
 * @param javaType the type as Java source ({@code double[][]})
 * @param initializer the initializer, as Java source that compiles in the generated class
 */
public record CopiedConstant(String name, Type type, String javaType, String initializer) {}
