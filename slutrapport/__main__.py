from slutrapport.cli import main

main()
