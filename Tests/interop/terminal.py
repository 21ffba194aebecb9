"""Running a command on a terminal of its own, to type at a prompt that reads /dev/tty (getpass)."""
import os
import pty


def typed_at_prompt(argv, env, answer, prompt=b"password"):
    """Runs `argv` on a new terminal, types `answer` at its first line containing `prompt` (any case); the exit code
    and everything it printed."""
    pid, terminal = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    said = b""
    while prompt.lower() not in said.lower():
        try:
            chunk = os.read(terminal, 1024)
        except OSError:  # the command ended without asking: what it said is the answer
            chunk = b""
        if not chunk:
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status), said
        said += chunk
    os.write(terminal, answer + b"\n")
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:
            break
        if not chunk:
            break
        said += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), said
