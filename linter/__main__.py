from sagelint.cli import console

console()
