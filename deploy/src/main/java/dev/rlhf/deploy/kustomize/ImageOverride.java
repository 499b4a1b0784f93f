package dev.rlhf.deploy.kustomize;

/**
 * One {@code images:} entry: containers whose image is {@code name} (with or without a tag or digest) get
 * {@code newName} and / or {@code newTag}.
 */
public record ImageOverride(String name, String newName, String newTag) {

    /** The image reference after this override, or {@code image} unchanged when it is another image. */
    public String apply(String image) {
        String repository = repository(image);
        if (!repository.equals(name)) {
            return image;
        }
        String tagPart = image.substring(repository.length());
        String repositoryOut = newName == null ? repository : newName;
        String tagOut = newTag == null ? tagPart : ":" + newTag;
        return repositoryOut + tagOut;
    }

    /** The image without {@code :tag} or {@code @digest}; a registry port ({@code host:5000/x}) is kept. */
    static String repository(String image) {
        int digest = image.indexOf('@');
        String withoutDigest = digest < 0 ? image : image.substring(0, digest);
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }
}
