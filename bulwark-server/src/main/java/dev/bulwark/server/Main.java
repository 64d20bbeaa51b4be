package dev.bulwark.server;

import java.io.InputStream;
import java.io.PrintStream;
import dev.bulwark.server.cli.ClientCommands;
import dev.bulwark.server.metrics.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bulwark} command line. Exit codes: 0 success, 1 runtime failure (e.g. could not
 * start), 2 usage error.
 */
@Command(
    name = "bulwark",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A DNS control plane whose automation can't repeat the October 2025 outage.",
    subcommands = {UpCommand.class, NodeCommand.class, dev.bulwark.server.gameday.GameDayCommand.class, Main.VersionCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failed at run time (for example a port in use), or the server refused a request",
        "2:bad command line or configuration", "3:cannot reach the server, or it failed (client commands)"},
    footer = {"%nRun 'bulwark <command> --help' for a command's options. Docs: docs/cli.md, docs/api.md,"
        + " docs/configuration.md."})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Before the first logger: the format and level come from the environment (BULWARK_LOG_FORMAT,
    // BULWARK_LOG_LEVEL) or system properties; 'bulwark node' applies its configuration's later.
    LogSetup.apply(null, null);
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command line with these streams and returns the exit code (tests call it in-process). */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main(), new Factory(in, out));
    ClientCommands.all().forEach(cl::addSubcommand);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"bulwark " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }

  /** Lets subcommands reach the streams the program was started with (tests use their own). */
  private static final class Factory implements CommandLine.IFactory {
    private final InputStream in;
    private final PrintStream out;

    Factory(InputStream in, PrintStream out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == UpCommand.class) {
        return cls.cast(new UpCommand(in, out));
      }
      if (cls == NodeCommand.class) {
        return cls.cast(new NodeCommand(out));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** {@code bulwark version}: the same as {@code bulwark --version}. */
  @Command(name = "version", description = "Prints Bulwark's version.")
  static final class VersionCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().println(new Version().getVersion()[0]);
    }
  }
}
