from pathways.cli.main import main

main()
