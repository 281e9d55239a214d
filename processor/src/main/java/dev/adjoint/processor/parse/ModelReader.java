package dev.adjoint.processor.parse;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ModelParameters;
import dev.adjoint.processor.ir.ModelParameters.Field;
import dev.adjoint.processor.ir.ModelParameters.Holder;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/** Reads which fields of a model class hold its parameters: tensors and sub-modules, one or many. */
final class ModelReader {
  private final Elements elements;

  ModelReader(Elements elements) {
    this.elements = elements;
  }

  /** The model's parameter fields; a private one is reported (generated code cannot read it) and left out. */
  ModelParameters read(TypeElement model, java.util.function.Function<VariableElement, Reporter> reporters) {
    List<Field> fields = new ArrayList<>();
    for (VariableElement f : ElementFilter.fieldsIn(model.getEnclosedElements())) {
      if (f.getModifiers().contains(Modifier.STATIC)) {
        continue;
      }
      Field field = field(f);
      if (field == null) {
        continue;
      }
      if (f.getModifiers().contains(Modifier.PRIVATE)) {
        reporters.apply(f).report(Diag.PRIVATE_PARAMETER, Pos.NONE, f.getSimpleName(), model.getSimpleName());
        continue;
      }
      fields.add(field);
    }
    return new ModelParameters(fields);
  }

  private Field field(VariableElement f) {
    String name = f.getSimpleName().toString();
    TypeMirror type = f.asType();
    Holder holder = Holder.ONE;
    if (type instanceof ArrayType a) {
      holder = Holder.ARRAY;
      type = a.getComponentType();
    } else if (type instanceof DeclaredType d && d.getTypeArguments().size() == 1 && isList(d)) {
      holder = Holder.LIST;
      type = d.getTypeArguments().get(0);
      if (type instanceof javax.lang.model.type.WildcardType w && w.getExtendsBound() != null) {
        type = w.getExtendsBound();
      }
    }
    if (Type.TENSOR.equals(TypeMapper.of(type))) {
      return new Field(name, holder, null, false);
    }
    if (!(type instanceof DeclaredType d) || !(d.asElement() instanceof TypeElement t)) {
      return null;
    }
    boolean generated = ElementFilter.methodsIn(t.getEnclosedElements()).stream()
        .anyMatch(m -> !m.getModifiers().contains(Modifier.STATIC)
            && CalleeResolver.hasAnnotation(m, CalleeResolver.DIFFERENTIABLE));
    if (generated) {
      return new Field(name, holder, CalleeResolver.gradClass(TypeMapper.refType(t)), false);
    }
    if (CalleeResolver.isModule(type) && listsItsOwn(t)) {
      return new Field(name, holder, null, true);
    }
    return null;
  }

  /** Whether the type declares {@code Map<String, Tensor> namedParameters()} (a {@code Layer}). */
  private boolean listsItsOwn(TypeElement t) {
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(t))) {
      if (m.getSimpleName().contentEquals("namedParameters") && m.getParameters().isEmpty()
          && !m.getModifiers().contains(Modifier.STATIC)) {
        return true;
      }
    }
    return false;
  }

  private boolean isList(DeclaredType d) {
    TypeElement list = elements.getTypeElement("java.util.List");
    TypeElement t = (TypeElement) d.asElement();
    return list != null && (t.equals(list) || t.getInterfaces().stream()
        .anyMatch(i -> i instanceof DeclaredType di && di.asElement().equals(list)));
  }
}
