from dockwright.launch import run

run()
