from confgen.entry import main

main()
