package io.infergate.host.ipfs.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.ipfs.cid.Cid;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The pin set, persisted as a sorted JSON array of CIDv1 strings; each change is written and fsynced atomically. */
final class PinSet {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Path tmp;
  private final Set<Cid> pins;

  PinSet(Path file, Path tmp) throws IOException {
    this.file = file;
    this.tmp = tmp;
    if (Files.exists(file)) {
      List<String> saved = JSON.readValue(file.toFile(), new TypeReference<List<String>>() {});
      this.pins = saved.stream().map(Cid::parse).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    } else {
      this.pins = new java.util.LinkedHashSet<>();
    }
  }

  synchronized boolean contains(Cid cid) {
    return pins.contains(cid);
  }

  synchronized Set<Cid> snapshot() {
    return Set.copyOf(pins);
  }

  synchronized boolean add(Cid cid) throws IOException {
    if (!pins.add(cid)) {
      return false;
    }
    save();
    return true;
  }

  synchronized boolean remove(Cid cid) throws IOException {
    if (!pins.remove(cid)) {
      return false;
    }
    save();
    return true;
  }

  private void save() throws IOException {
    TreeSet<String> sorted = pins.stream().map(Cid::toString).collect(Collectors.toCollection(TreeSet::new));
    Path staged = tmp.resolve("pins." + System.nanoTime() + ".json");
    try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sorted)));
      ch.force(true);
    }
    Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
