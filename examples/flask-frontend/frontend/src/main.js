// The page's only script: says hello in the root element.
document.getElementById("root").textContent = "Hello from the built frontend";
