package io.infergate.host.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code infergate <command>}: the entry point of the node's command line. */
@Command(name = "infergate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Infergate: paid, verifiable AI services on ONNX Runtime.",
    subcommands = {ServeCommand.class, DevCommand.class, ContentCommand.class})
public final class InfergateCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new InfergateCommand()).execute(args));
  }
}
