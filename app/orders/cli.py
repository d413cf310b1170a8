from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Orders.")  # its commands come from the areas that own them (payments/cli.py)
