/* cmd.h — the subcommands of backopsd other than serve. Each returns the
 * process exit status. The configuration (cfg) is loaded by main. */
#ifndef CMD_H
#define CMD_H

int	 cmd_jobs(int argc, char **argv);
int	 cmd_migrate(int argc, char **argv);
int	 cmd_outbox(int argc, char **argv);
int	 cmd_seed_demo(int argc, char **argv);
int	 cmd_user(int argc, char **argv);

#endif
