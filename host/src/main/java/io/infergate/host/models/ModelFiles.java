package io.infergate.host.models;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.ContentNode;
import io.infergate.host.ipfs.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the verified file of a model by its content ID.
 *
 * <p>IPFS CIDs are resolved by the node's {@link ContentNode} (content store, local directories, then the
 * configured sources; every block verified). {@code sha256:<hex>} IDs are matched by hashing the files of
 * the model directories; a file is only returned after its digest is recomputed and equal, so a swapped
 * file on disk is never loaded.
 */
public final class ModelFiles {
  private final List<Path> dirs;
  private final ContentNode content;

  public ModelFiles(List<Path> dirs, ContentNode content) {
    this.dirs = List.copyOf(dirs);
    this.content = content;
  }

  /** The verified file holding {@code contentId}, or a {@link ModelLoadException} saying where it looked. */
  public Path resolve(String modelName, String contentId) {
    if (!contentId.startsWith("sha256:")) {
      try {
        return content.resolve(Cid.parse(contentId), "model '" + modelName + "'", dirs);
      } catch (ContentException e) {
        throw new ModelLoadException("model '" + modelName + "' (" + contentId + "): " + e.getMessage(), e);
      }
    }
    String wanted = contentId.substring("sha256:".length());
    for (Path dir : dirs) {
      Optional<Path> hit = find(dir, wanted);
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    throw new ModelLoadException("model '" + modelName + "': no file with " + contentId + " in " + dirs
        + "; put the model file in one of these directories (models.dirs)");
  }

  private static Optional<Path> find(Path dir, String hexDigest) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        if (sha256(p).equals(hexDigest)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Lower-case hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

}
