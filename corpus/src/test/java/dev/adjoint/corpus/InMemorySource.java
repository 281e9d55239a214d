package dev.adjoint.corpus;

import java.net.URI;
import javax.tools.SimpleJavaFileObject;

/** A source file held in memory, named by its path in the library so that diagnostics name it too. */
final class InMemorySource extends SimpleJavaFileObject {
  private final String path;
  private final String text;

  InMemorySource(String path, String text) {
    super(URI.create("string:///" + path), Kind.SOURCE);
    this.path = path;
    this.text = text;
  }

  String path() {
    return path;
  }

  /**
   * The library path of a file javac hands back (it wraps the objects it is given), or null for a
   * file that is not one of ours (a generated source, a class file).
   */
  static String pathOf(javax.tools.FileObject file) {
    if (file == null) {
      return null;
    }
    URI uri = file.toUri();
    return "string".equals(uri.getScheme()) ? uri.getPath().substring(1) : null;
  }

  @Override
  public CharSequence getCharContent(boolean ignoreEncodingErrors) {
    return text;
  }
}
