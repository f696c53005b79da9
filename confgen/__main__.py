from confgen.cli import main

main()
