"""The lurid scoring service (Flask). Its API is built in a later issue; see README."""
